"""Typed settings, read once from the environment.

Every variable has a default that gives a working development server (`make serve`): no
`DATABASE_URL` starts an embedded PostgreSQL in `DATA_DIR`, no `REDIS_URL` caches in process.
`python -m api --help-settings` prints the table below.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path

from api.limits.rates import (
    DEFAULT_FIELD_RATE,
    DEFAULT_REGISTRATION_RATE,
    DEFAULT_VIEWER_RATE,
    Rate,
    parse_field_rates,
    parse_rate,
)

__all__ = ["Environment", "MonitoringAccess", "Settings", "SettingsError"]


class SettingsError(ValueError):
    """An environment variable holds a value we can't use."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class MonitoringAccess(StrEnum):
    OPEN = "open"  # anyone may read /monitor and /health/database?detailed=true
    ADMIN = "admin"  # only a bearer token of a user whose role is ADMIN


class Execution(StrEnum):
    """How queries execute (`api/compiled`): the compiled path where it can, or never."""

    AUTO = "auto"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Settings:
    """One field per environment variable: the field name upper-cased (see `DOCUMENTATION`)."""

    environment: Environment = Environment.DEVELOPMENT
    database_url: str | None = None
    database_replica_urls: tuple[str, ...] = ()
    direct_url: str | None = None
    read_your_writes_seconds: int = 30
    data_dir: Path = Path(".data/pg")
    seed_scale: str = "small"
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    db_connection_limit: int = 25
    db_pool_timeout: float = 30.0
    db_queue_timeout: float = 2.0
    db_connect_timeout: float = 10.0
    db_statement_timeout_ms: int = 30_000
    slow_query_ms: float = 200.0
    full_sql_ms: float = 1000.0
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2_000
    max_query_cost: int = 5_000
    max_fragment_spreads: int = 30
    max_body_bytes: int = 100_000
    cache_enabled: bool = True
    cache_default_ttl: int = 30
    cache_prefix: str = "dreams:"
    cache_max_entries: int = 10_000
    cache_max_mb: int = 64
    redis_timeout_ms: int = 250
    auth_cache_ttl: int = 30
    response_time_sample_rate: float = 0.1
    gc_threshold: int = 10_000
    monitoring_access: MonitoringAccess | None = None
    metrics_access: MonitoringAccess = MonitoringAccess.OPEN
    graphiql: bool | None = None
    introspection: bool | None = None
    suggestions: bool | None = None
    json_only: bool | None = None
    trusted_documents: Path | None = None
    persisted_queries: bool = True
    persisted_queries_ttl: int = 86_400
    get_cache_max_age: int = 30
    rate_limit: Rate | None = DEFAULT_VIEWER_RATE
    rate_limit_per_field: Rate | None = DEFAULT_FIELD_RATE
    rate_limit_fields: tuple[tuple[str, Rate | None], ...] = ()
    rate_limit_registrations: Rate | None = DEFAULT_REGISTRATION_RATE
    execution: Execution = Execution.AUTO
    log_plans: bool = False

    # Open in development, closed in production unless the setting says otherwise.
    @property
    def serves_graphiql(self) -> bool:
        return self._by_environment(self.graphiql)

    @property
    def allows_introspection(self) -> bool:
        return self._by_environment(self.introspection)

    @property
    def shows_suggestions(self) -> bool:
        return self._by_environment(self.suggestions)

    @property
    def requires_json(self) -> bool:
        if self.json_only is not None:
            return self.json_only
        return self.environment is Environment.PRODUCTION

    def _by_environment(self, value: bool | None) -> bool:
        return self.environment is Environment.DEVELOPMENT if value is None else value

    @property
    def monitoring(self) -> MonitoringAccess:
        if self.monitoring_access is not None:
            return self.monitoring_access
        if self.environment is Environment.DEVELOPMENT:
            return MonitoringAccess.OPEN
        return MonitoringAccess.ADMIN

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `environ` (default `os.environ`); empty values count as unset."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.name.upper(), "").strip()
            if raw:
                values[f.name] = _parse(f.name.upper(), raw, f.default)
        return cls(**values)  # pyright: ignore[reportArgumentType]

    @classmethod
    def documentation(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) for every setting, in declaration order."""
        rows: list[tuple[str, str, str]] = []
        for f in fields(cls):
            default: object = f.default
            shown = "" if default is None or default == () else str(default)
            rows.append((f.name.upper(), shown, DOCUMENTATION[f.name]))
        return rows


def _parse(name: str, raw: str, default: object) -> object:
    parser = _parser_for(name, default)
    try:
        return parser(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not valid: {exc}. Fix or unset {name}.") from exc


def _parser_for(name: str, default: object) -> Callable[[str], object]:
    special: dict[str, Callable[[str], object]] = {
        "ENVIRONMENT": Environment,
        "MONITORING_ACCESS": MonitoringAccess,
        "METRICS_ACCESS": MonitoringAccess,
        "EXECUTION": Execution,
        "DATABASE_REPLICA_URLS": lambda raw: tuple(u.strip() for u in raw.split(",") if u.strip()),
        "RATE_LIMIT": parse_rate,
        "RATE_LIMIT_PER_FIELD": parse_rate,
        "RATE_LIMIT_FIELDS": parse_field_rates,
        "RATE_LIMIT_REGISTRATIONS": parse_rate,
    }
    if name in special:
        return special[name]
    if name in _SWITCHES:
        return _parse_bool
    if name == "TRUSTED_DOCUMENTS":
        return Path
    if isinstance(default, bool):
        return _parse_bool
    if isinstance(default, int):
        return int
    if isinstance(default, float):
        return _parse_fraction if name.endswith("_RATE") else float
    if isinstance(default, Path):
        return Path
    return str


_SWITCHES = frozenset({"GRAPHIQL", "INTROSPECTION", "SUGGESTIONS", "JSON_ONLY"})


def _parse_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true/false, yes/no, on/off or 1/0")


def _parse_fraction(raw: str) -> float:
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError("expected a number from 0 to 1")
    return value


DOCUMENTATION: dict[str, str] = {
    # field name: what it means
    "environment": "`development` or `production`",
    "database_url": "PostgreSQL URL; unset starts an embedded PostgreSQL in DATA_DIR",
    "database_replica_urls": "comma-separated read replicas; SELECTs outside transactions go there",
    "direct_url": "a session on the primary past PgBouncer (Prisma's directUrl), for what a "
    "transaction pooler can't carry: subscriptions' LISTEN, push, seed; default DATABASE_URL",
    "read_your_writes_seconds": "seconds after a viewer's write during which their replica reads "
    "wait for a replica that has replayed it (else run on the primary)",
    "data_dir": "data folder of the embedded PostgreSQL",
    "seed_scale": "demo data seeded into an empty embedded database",
    "redis_url": "Redis URL for both cache levels; unset caches in process",
    "host": "address uvicorn binds",
    "port": "port uvicorn binds",
    "workers": "uvicorn worker processes",
    "log_level": "Python and uvicorn log level",
    "db_connection_limit": "pool size per worker",
    "db_pool_timeout": "seconds background work (timings, startup) waits for a pooled connection",
    "db_queue_timeout": "seconds a request waits for a pooled connection before it is answered "
    "503 with Retry-After",
    "db_connect_timeout": "seconds to open a connection",
    "db_statement_timeout_ms": "PostgreSQL statement_timeout per statement",
    "slow_query_ms": "statements slower than this are logged as warnings",
    "full_sql_ms": "statements slower than this are logged as errors with their whole SQL",
    "max_query_depth": "deepest selection nesting a document may have",
    "max_aliases": "aliases a document may use",
    "max_tokens": "lexical tokens a document may have (counted before it is parsed)",
    "max_query_cost": "list items an operation may ask for: each `first` (20 when omitted) "
    "times the lists around it",
    "max_fragment_spreads": "fragment spreads one selection set may hold (validation compares "
    "them pairwise)",
    "max_body_bytes": "larger request bodies get 413",
    "cache_enabled": "whole-operation and resolver result caching",
    "cache_default_ttl": "seconds an operation result lives when resolvers set none",
    "cache_prefix": "prefix of every Redis key the API writes",
    "cache_max_entries": "entries of the in-process cache (no REDIS_URL)",
    "cache_max_mb": "megabytes of values the in-process cache keeps (no REDIS_URL)",
    "redis_timeout_ms": "Redis connect/socket timeout; slower counts as an error (3 in a row open "
    "the circuit breaker for 5 s)",
    "auth_cache_ttl": "seconds a bearer token's user is remembered in process",
    "response_time_sample_rate": "share of requests recorded in api_response_times",
    "gc_threshold": "allocations between young-generation collections after startup, whose "
    "heap is frozen (fewer full-collection pauses; `api/memory.py`); 0: CPython's defaults",
    "monitoring_access": "`open` or `admin`; default open in development, else admin",
    "metrics_access": "`open` or `admin` for /metrics; open so scrapers need no token",
    "graphiql": "serve GraphiQL at GET /graphql; default on in development, off in production",
    "introspection": "answer `__schema` / `__type`; default on in development, off in production",
    "suggestions": '"Did you mean ...?" in error messages; default on in development, off in '
    "production",
    "json_only": "POST bodies must be `application/json` (refuses `text/plain`, form and "
    "multipart posts, a CSRF guard); default off in development, on in production",
    "trusted_documents": "file or folder of trusted documents (sha256 to text); when set, only "
    "they run",
    "persisted_queries": "automatic persisted queries (Apollo's protocol): documents registered "
    "by their sha256 in Redis, then sent by hash alone",
    "persisted_queries_ttl": "seconds a registered persisted query lives after its registration",
    "get_cache_max_age": "seconds HTTP caches and CDNs may reuse an anonymous GET query's answer "
    "(`public, max-age`); 0: `no-cache`",
    "rate_limit": "requests per viewer (user, or network address when anonymous), e.g. "
    "`600/minute`, `10/second`, `off`",
    "rate_limit_per_field": "requests per viewer selecting one root field (`dreams`, "
    "`recordAiTest`; the chart route is `charts`), each selection counted",
    "rate_limit_fields": "per-field overrides, e.g. `recordAiTest=30/minute,createDream=off`",
    "rate_limit_registrations": "persisted queries a viewer may register; over it a query sent "
    "with its hash runs but isn't registered",
    "execution": "`auto`: queries the planner can compile are answered by one SQL statement, "
    "the rest by the resolvers; `resolved`: always the resolvers",
    "log_plans": "log each compiled plan's SQL once, when it is planned (logger `api.compiled`)",
}
