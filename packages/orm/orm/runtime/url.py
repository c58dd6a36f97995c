"""Connection settings: the datasource URL, its Prisma-style query parameters, and overrides.

Precedence, strongest first: explicit constructor arguments, the URL's query parameters, the
defaults below (document 001's pool settings). A URL such as

    postgresql://app@db:5432/dreams?schema=public&connection_limit=10&pool_timeout=5
        &connect_timeout=3&statement_timeout=15000&pgbouncer=true&application_name=api

sets every knob. `statement_cache_size` (asyncpg's named prepared statements per connection:
100, or 0 with `pgbouncer=true`) may be set explicitly: `pgbouncer=true&statement_cache_size=100`
keeps the cache through PgBouncer 1.21+ configured with `max_prepared_statements`. The
parameters asyncpg would not understand (or would wrongly send to the server as settings) are
stripped before the URL reaches asyncpg; `sslmode` and the other libpq parameters stay.
`statement_timeout` in the URL is in milliseconds, as in PostgreSQL; every other duration (URL
or argument) is in seconds. Nothing here does I/O.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from orm.datasource import UrlSource

__all__ = [
    "DEFAULT_CONNECTION_LIMIT",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_POOL_TIMEOUT",
    "DEFAULT_STATEMENT_TIMEOUT_MS",
    "ClientSettings",
    "DatasourceSettings",
    "Overrides",
    "SettingsError",
    "parse_url",
    "resolve_settings",
    "seconds",
]

DEFAULT_CONNECTION_LIMIT = 25
DEFAULT_POOL_TIMEOUT = 30.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_STATEMENT_TIMEOUT_MS = 30_000

_OURS = frozenset(
    {
        "connection_limit",
        "pool_timeout",
        "connect_timeout",
        "statement_timeout",
        "schema",
        "pgbouncer",
        "application_name",
        "socket_timeout",
        "statement_cache_size",
    }
)
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


class SettingsError(ValueError):
    """A datasource URL or setting that can't be used; the message names it."""


@dataclass(frozen=True, slots=True)
class DatasourceSettings:
    """Everything needed to open one pool (the primary, or one read replica)."""

    dsn: str
    """The URL handed to asyncpg: our parameters removed, libpq ones kept."""
    connection_limit: int = DEFAULT_CONNECTION_LIMIT
    pool_timeout: float = DEFAULT_POOL_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS
    schema: str | None = None
    pgbouncer: bool = False
    application_name: str | None = None
    statement_cache: int | None = None
    """`statement_cache_size` from the URL; None: the default for the mode."""

    def server_settings(self) -> dict[str, str]:
        """Session settings sent in the startup packet (no extra round trip per connection).

        PgBouncer refuses startup parameters it doesn't know, and can't keep a session setting
        in transaction pooling, so with `pgbouncer=true` `statement_timeout` is left to the
        database role (`ALTER ROLE app SET statement_timeout = '30s'`) or PgBouncer's
        `query_timeout`; `search_path` (from `schema=`) needs PgBouncer 1.20's
        `track_extra_parameters = search_path`.
        """
        settings: dict[str, str] = {}
        if not self.pgbouncer:
            settings["statement_timeout"] = str(self.statement_timeout_ms)
        if self.schema:
            settings["search_path"] = _quote_ident(self.schema)
        if self.application_name:
            settings["application_name"] = self.application_name
        return settings

    @property
    def statement_cache_size(self) -> int:
        """PgBouncer in transaction mode keeps named prepared statements only from 1.21 on, with
        `max_prepared_statements` set: `pgbouncer=true` alone turns the cache off (each
        statement is parsed again, one more round trip), `statement_cache_size` says otherwise."""
        if self.statement_cache is not None:
            return self.statement_cache
        return 0 if self.pgbouncer else 100

    def redacted(self) -> str:
        """The DSN without its password, for messages and logs."""
        parts = urlsplit(self.dsn)
        if parts.password is None:
            return self.dsn
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True, slots=True)
class ClientSettings:
    primary: DatasourceSettings
    replicas: tuple[DatasourceSettings, ...] = ()


@dataclass(frozen=True, slots=True)
class Overrides:
    """Constructor arguments; `None` means "not given"."""

    connection_limit: int | None = None
    pool_timeout: timedelta | float | None = None
    connect_timeout: timedelta | float | None = None
    statement_timeout: timedelta | float | None = None


def seconds(value: timedelta | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"`{name}={raw}` in the database URL is not a number.") from None
    if value < 0:
        raise SettingsError(f"`{name}={raw}` in the database URL must not be negative.")
    return value


def _whole(name: str, raw: str) -> int:
    value = _number(name, raw)
    if value != int(value):
        raise SettingsError(f"`{name}={raw}` in the database URL must be a whole number.")
    return int(value)


def _flag(name: str, raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"`{name}={raw}` in the database URL must be true or false.")


def parse_url(url: str, base: DatasourceSettings | None = None) -> DatasourceSettings:
    """Settings from `url`; parameters it doesn't carry keep `base`'s values (or the defaults)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise SettingsError(
            f"The database URL must start with postgresql:// (got `{parts.scheme}://`)."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in query if key not in _OURS]
    ours = {key: value for key, value in query if key in _OURS}
    dsn = urlunsplit(parts._replace(query=urlencode(kept)))
    settings = replace(base, dsn=dsn) if base is not None else DatasourceSettings(dsn=dsn)
    return _apply_query(settings, ours)


def _apply_query(settings: DatasourceSettings, query: Mapping[str, str]) -> DatasourceSettings:
    changes: dict[str, object] = {}
    if "connection_limit" in query:
        limit = int(_number("connection_limit", query["connection_limit"]))
        if limit < 1:
            raise SettingsError("`connection_limit` in the database URL must be at least 1.")
        changes["connection_limit"] = limit
    for name in ("pool_timeout", "connect_timeout"):
        if name in query:
            changes[name] = _number(name, query[name])
    if "statement_timeout" in query:
        changes["statement_timeout_ms"] = int(
            _number("statement_timeout", query["statement_timeout"])
        )
    if query.get("schema"):
        changes["schema"] = query["schema"]
    if "pgbouncer" in query:
        changes["pgbouncer"] = _flag("pgbouncer", query["pgbouncer"])
    if query.get("application_name"):
        changes["application_name"] = query["application_name"]
    if "statement_cache_size" in query:
        changes["statement_cache"] = _whole("statement_cache_size", query["statement_cache_size"])
    return replace(settings, **changes)  # pyright: ignore[reportArgumentType]


def _override(settings: DatasourceSettings, overrides: Overrides) -> DatasourceSettings:
    changes: dict[str, object] = {}
    if overrides.connection_limit is not None:
        if overrides.connection_limit < 1:
            raise SettingsError("`connection_limit` must be at least 1.")
        changes["connection_limit"] = overrides.connection_limit
    if overrides.pool_timeout is not None:
        changes["pool_timeout"] = seconds(overrides.pool_timeout)
    if overrides.connect_timeout is not None:
        changes["connect_timeout"] = seconds(overrides.connect_timeout)
    if overrides.statement_timeout is not None:
        changes["statement_timeout_ms"] = round(seconds(overrides.statement_timeout) * 1000)
    return replace(settings, **changes)  # pyright: ignore[reportArgumentType]


def _schema_url(source: UrlSource | None, env: Mapping[str, str]) -> str:
    """The URL the schema's datasource `url` names (`DATABASE_URL` when it names none)."""
    if source is None:
        url = env.get("DATABASE_URL")
        if not url:
            raise SettingsError(
                "No database URL: pass `datasource={'url': ...}` or set the DATABASE_URL "
                "environment variable."
            )
        return url
    url = source.resolve(env)
    if url:
        return url
    if source.env is None:
        raise SettingsError("No database URL: the schema's datasource `url` is an empty string.")
    raise SettingsError(
        f"No database URL: the schema's datasource block says {source.describe()}, and "
        f"{source.env} is not set. Set the {source.env} environment variable (or pass "
        "`datasource={'url': ...}`)."
    )


def resolve_settings(
    datasource: Mapping[str, str] | None,
    overrides: Overrides,
    *,
    replica_urls: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    schema_url: UrlSource | None = None,
) -> ClientSettings:
    """The primary from `datasource["url"]`, else what the schema's datasource `url` names
    (`schema_url`: `env("APP_DB")` or a literal), else `DATABASE_URL`; replicas from
    `replica_urls` or `DATABASE_REPLICA_URLS` (comma separated), each inheriting the primary's
    settings."""
    env = os.environ if environ is None else environ
    url = (datasource or {}).get("url") or _schema_url(schema_url, env)
    primary = _override(parse_url(url), overrides)
    if replica_urls is None:
        raw = env.get("DATABASE_REPLICA_URLS", "")
        replica_urls = [part.strip() for part in raw.split(",") if part.strip()]
    replicas = tuple(_override(parse_url(r, primary), overrides) for r in replica_urls)
    return ClientSettings(primary=primary, replicas=replicas)
