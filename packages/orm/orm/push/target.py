"""Where a push goes: `DATABASE_URL`, its `?schema=` parameter, and the connection to it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from orm.push.db import Connection, open_connection
from orm.push.errors import PushError
from orm.push.names import quote

__all__ = ["Target", "connect", "lock_key", "parse_target"]

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


def parse_target(url: str | None) -> Target:
    if not url:
        raise PushError(
            "DATABASE_URL is not set. Point it at the database, e.g. "
            "DATABASE_URL='postgresql://user@localhost:5432/app?schema=public'."
        )
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise PushError(f"DATABASE_URL must be a postgresql:// URL, not {parts.scheme}://")
    params = dict(parse_qsl(parts.query))
    schema = params.get("schema") or "public"
    timeout = float(params.get("connect_timeout") or 10)
    kept = {k: v for k, v in params.items() if k not in _PRISMA_PARAMS}
    dsn = urlunsplit(parts._replace(query=urlencode(kept)))
    host = parts.hostname or "localhost"
    display = f'schema "{schema}" of {host}:{parts.port or 5432}{parts.path}'
    return Target(dsn, schema, display, timeout)


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
