"""Where a push goes: the URL (`DATABASE_URL`, or what the schema's datasource block names), its
`?schema=` parameter, and the connection to it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from orm.datasource import DatasourceUrls
from orm.push.db import Connection, open_connection
from orm.push.errors import PushError
from orm.push.names import quote

__all__ = ["Target", "connect", "lock_key", "parse_target", "push_target"]

# Prisma-style parameters that asyncpg would otherwise send to the server as settings.
_PRISMA_PARAMS = frozenset(
    {
        "schema",
        "connection_limit",
        "pool_timeout",
        "connect_timeout",
        "socket_timeout",
        "statement_timeout",
        "pgbouncer",
        "statement_cache_size",
    }
)


@dataclass(frozen=True)
class Target:
    dsn: str
    schema: str
    display: str
    connect_timeout: float = 10.0


def parse_target(url: str | None, *, source: str = "DATABASE_URL") -> Target:
    """`url`'s target; `source` names where the URL came from in messages (an environment
    variable, or a description of the schema's literal URL, which is never printed)."""
    if not url:
        raise PushError(
            f"{source} is not set. Point it at the database, e.g. "
            f"{source}='postgresql://user@localhost:5432/app?schema=public'."
        )
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise PushError(f"{source} must be a postgresql:// URL, not {parts.scheme}://")
    params = dict(parse_qsl(parts.query))
    schema = params.get("schema") or "public"
    timeout = float(params.get("connect_timeout") or 10)
    kept = {k: v for k, v in params.items() if k not in _PRISMA_PARAMS}
    dsn = urlunsplit(parts._replace(query=urlencode(kept)))
    host = parts.hostname or "localhost"
    display = f'schema "{schema}" of {host}:{parts.port or 5432}{parts.path}'
    return Target(dsn, schema, display, timeout)


def push_target(datasource: DatasourceUrls, environ: Mapping[str, str] | None = None) -> Target:
    """Where push goes for a schema whose datasource block says `datasource`: its `directUrl`
    (a session on the primary, past PgBouncer, for the advisory lock and DDL), else its `url`,
    each `env("NAME")` or a literal URL, as Prisma's `db push` reads them. A schema naming
    neither goes to `DIRECT_URL` when set, else `DATABASE_URL`."""
    env = os.environ if environ is None else environ
    sources = (("directUrl", datasource.direct_url), ("url", datasource.url))
    named = [(key, source) for key, source in sources if source is not None]
    if not named:
        if env.get("DIRECT_URL"):
            return parse_target(env["DIRECT_URL"], source="DIRECT_URL")
        return parse_target(env.get("DATABASE_URL"))
    key, source = named[0]
    if source.env is None:
        return parse_target(source.value, source=f"The schema's datasource `{key}`")
    url = source.resolve(env)
    if not url:
        raise PushError(
            f"{source.env} is not set, and the schema's datasource block says "
            f"{source.describe(key)}. Point it at the database, e.g. "
            f"{source.env}='postgresql://user@localhost:5432/app?schema=public'."
        )
    return parse_target(url, source=source.env)


async def connect(
    target: Target,
    *,
    extra_search_path: tuple[str, ...] = (),
    settings: Mapping[str, str] | None = None,
) -> Connection:
    """A connection whose `search_path` starts with the target schema (so DDL is unqualified)."""
    path = ", ".join(quote(s) for s in (target.schema, *extra_search_path))
    try:
        return await open_connection(
            target.dsn,
            connect_timeout=target.connect_timeout,
            server_settings={
                "search_path": path,
                "application_name": "orm db push",
                **(settings or {}),
            },
        )
    except (OSError, asyncpg.PostgresError) as error:
        raise PushError(f"Could not connect to {target.display}: {error}") from error


def lock_key(schema: str) -> int:
    """The pg_advisory_lock key for pushes to `schema`: 64 bits of sha256, signed."""
    digest = hashlib.sha256(f"orm.push:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
