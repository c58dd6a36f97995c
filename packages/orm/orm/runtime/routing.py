"""Where reads run when read replicas are configured: the routing context.

With replicas, a plain SELECT outside a transaction goes to a healthy replica (round-robin)
unless the context says otherwise; writes, transactions and raw SQL go to the primary.

    with read_from_primary():            # this block's reads see every committed write
        ...
    with read_from_replica(min_lsn=lsn): # replica reads, raw SELECTs included, but only from a
        ...                              # replica that has replayed the WAL up to `lsn`

`min_lsn` gives read-your-writes: take `pg_current_wal_insert_lsn()` after a write (see
`WRITE_LSN_SQL`) and pass it; a replica qualifies once its monitor has seen it replay that far,
until then the read runs on the primary. A replica that is down, or lags more than its
`ReplicaPolicy` allows, serves nothing; a read that loses its replica's connection is retried
once on the primary. `client.read_routing()` shows each node's state and the reads it served.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "WRITE_LSN_SQL",
    "ReadRoute",
    "ReplicaPolicy",
    "Route",
    "current_route",
    "format_lsn",
    "parse_lsn",
    "read_from_primary",
    "read_from_replica",
]

WRITE_LSN_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint AS lsn"
"""The primary's WAL position as an integer: everything committed so far lies before it."""


class Route(StrEnum):
    PRIMARY = "primary"
    REPLICA = "replica"


@dataclass(frozen=True, slots=True)
class ReadRoute:
    target: Route
    min_lsn: int | None = None


_route: ContextVar[ReadRoute | None] = ContextVar("orm_read_route", default=None)


def current_route() -> ReadRoute | None:
    """The innermost `read_from_*` block's route; None: the default (replicas for SELECTs)."""
    return _route.get()


@contextlib.contextmanager
def _routed(route: ReadRoute) -> Generator[None]:
    token = _route.set(route)
    try:
        yield
    finally:
        _route.reset(token)


def read_from_primary() -> contextlib.AbstractContextManager[None]:
    return _routed(ReadRoute(Route.PRIMARY))


def read_from_replica(*, min_lsn: int | None = None) -> contextlib.AbstractContextManager[None]:
    """Reads in the block (and in tasks it starts) may use a replica; raw `query_raw` too, so
    only read-only SQL belongs in it."""
    return _routed(ReadRoute(Route.REPLICA, min_lsn))


def parse_lsn(text: str) -> int:
    """`'16/B374D848'` → its byte position."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def format_lsn(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


@dataclass(frozen=True, slots=True)
class ReplicaPolicy:
    """When a replica may serve reads. Lag counts the oldest write the primary has made that
    the replica has not replayed (seconds) and the WAL between them (bytes)."""

    max_lag_seconds: float = 5.0
    max_lag_bytes: int = 16 * 1024 * 1024
    check_interval: float = 0.5
    check_timeout: float = 2.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReplicaPolicy:
        """`DATABASE_REPLICA_MAX_LAG_SECONDS`, `..._MAX_LAG_BYTES`, `..._CHECK_INTERVAL`."""
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            max_lag_seconds=float(
                env.get("DATABASE_REPLICA_MAX_LAG_SECONDS") or default.max_lag_seconds
            ),
            max_lag_bytes=int(env.get("DATABASE_REPLICA_MAX_LAG_BYTES") or default.max_lag_bytes),
            check_interval=float(
                env.get("DATABASE_REPLICA_CHECK_INTERVAL") or default.check_interval
            ),
        )
