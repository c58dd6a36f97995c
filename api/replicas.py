"""Replica routing as operators see it: in `/health/database` and in `/metrics`.

Figures are this process's (its router, its reads), like every other metric here.
"""

from __future__ import annotations

from orm.runtime.types import JsonValue
from prisma import Prisma

__all__ = ["routing_metrics", "routing_report"]


def routing_report(db: Prisma) -> dict[str, JsonValue] | None:
    """`{"nodes": {"primary": {...}, "replica0": {"up", "lagSeconds", "readShare", ...}},
    "fallbacks", "retries"}`, or None without replicas."""
    router = db.read_routing()
    if router is None or not router.states:
        return None
    return router.snapshot()


def _family(name: str, kind: str, help_text: str, samples: list[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


def routing_metrics(db: Prisma) -> str:
    router = db.read_routing()
    if router is None or not router.states:
        return ""
    states = router.states.items()
    lines = [
        *_family(
            "api_db_reads_total",
            "counter",
            "Reads each database node served (this process).",
            [f'api_db_reads_total{{node="{n}"}} {count}' for n, count in router.reads.items()],
        ),
        *_family(
            "api_db_replica_up",
            "gauge",
            "Whether the replica answers its monitor (1) or not (0).",
            [f'api_db_replica_up{{node="{n}"}} {int(state.up)}' for n, state in states],
        ),
        *_family(
            "api_db_replica_lag_seconds",
            "gauge",
            "Age of the oldest write the replica has not replayed.",
            [
                f'api_db_replica_lag_seconds{{node="{n}"}} {state.lag_seconds:.3f}'
                for n, state in states
                if state.lag_seconds is not None
            ],
        ),
        *_family(
            "api_db_replica_lag_bytes",
            "gauge",
            "WAL the replica has not replayed.",
            [
                f'api_db_replica_lag_bytes{{node="{n}"}} {state.lag_bytes}'
                for n, state in states
                if state.lag_bytes is not None
            ],
        ),
        *_family(
            "api_db_read_fallbacks_total",
            "counter",
            "Replica-routed reads the primary served instead.",
            [f"api_db_read_fallbacks_total {router.fallbacks}"],
        ),
        *_family(
            "api_db_read_retries_total",
            "counter",
            "Reads retried on the primary after losing their node.",
            [f"api_db_read_retries_total {router.retries}"],
        ),
    ]
    return "\n".join(lines) + "\n"
