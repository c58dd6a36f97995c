"""What the engine counts for `get_metrics()`: statements, errors and latency per (model,
action), transactions, pool gauges. `snapshot()` gives them as the plain dicts that
`orm.runtime.metrics.Metrics` validates (prisma-client-py's JSON shape), so counting needs
neither those models nor pydantic.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from orm.runtime.types import JsonValue

__all__ = ["BUCKETS_MS", "Histogram", "MetricsRecorder", "PoolGauges"]

BUCKETS_MS: tuple[float, ...] = (1, 2, 5, 10, 25, 50, 100, 200, 500, 1000, 2500, 5000, 10000)

Labels = tuple[str, str]
"""(model, action); `("", "raw")` for raw SQL."""


@dataclass(slots=True)
class Histogram:
    bounds: tuple[float, ...] = BUCKETS_MS
    counts: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS_MS) + 1))
    total: float = 0.0
    count: int = 0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.total += value
        self.count += 1

    def merged(self, other: Histogram) -> Histogram:
        """A new histogram holding both (same bounds)."""
        counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        return Histogram(self.bounds, counts, self.total + other.total, self.count + other.count)

    def to_json(self) -> dict[str, JsonValue]:
        cumulative: list[dict[str, JsonValue]] = []
        running = 0
        for bound, count in zip(self.bounds, self.counts, strict=False):
            running += count
            cumulative.append({"max_value": bound, "total_count": running})
        return {"buckets": cumulative, "sum": round(self.total, 3), "count": self.count}


@dataclass(frozen=True, slots=True)
class PoolGauges:
    open: int
    busy: int
    idle: int
    waiting: int


@dataclass(slots=True)
class MetricsRecorder:
    """Mutated only from the event loop's thread, so no locks.

    `record` runs once per statement, so it keeps one histogram per (model, action) and no
    more: the statement counts and the histogram of all statements are added up from those
    when the metrics are read."""

    errors: dict[tuple[str, str, str], int] = field(default_factory=dict[tuple[str, str, str], int])
    latency: dict[tuple[str | None, str | None], Histogram] = field(
        default_factory=dict[tuple[str | None, str | None], Histogram]
    )
    slow: int = 0
    transactions: dict[str, int] = field(default_factory=dict[str, int])

    def record(self, model: str | None, action: str | None, duration_ms: float) -> None:
        key = (model, action)
        histogram = self.latency.get(key)
        if histogram is None:
            histogram = self.latency[key] = Histogram()
        histogram.counts[bisect_left(histogram.bounds, duration_ms)] += 1
        histogram.total += duration_ms
        histogram.count += 1

    def by_labels(self) -> dict[Labels, Histogram]:
        """The histograms by (model, action), "" for None (raw SQL has no model)."""
        merged: dict[Labels, Histogram] = {}
        for (model, action), histogram in self.latency.items():
            key = (model or "", action or "")
            found = merged.get(key)
            merged[key] = histogram if found is None else found.merged(histogram)
        return merged

    def all_latency(self) -> Histogram:
        total = Histogram()
        for histogram in self.latency.values():
            total = total.merged(histogram)
        return total

    def record_error(self, model: str | None, action: str | None, error: str) -> None:
        key = (model or "", action or "", error)
        self.errors[key] = self.errors.get(key, 0) + 1

    def record_transaction(self, outcome: str) -> None:
        self.transactions[outcome] = self.transactions.get(outcome, 0) + 1

    def snapshot(self, pools: Callable[[], dict[str, PoolGauges]]) -> dict[str, JsonValue]:
        return {
            "counters": self._counters(),
            "gauges": _pool_gauges(pools()),
            "histograms": self._histograms(),
        }

    def _counters(self) -> list[dict[str, JsonValue]]:
        by_labels = self.by_labels()
        total = sum(h.count for h in by_labels.values())
        counters = [
            _metric("prisma_client_queries_total", total, {}, "Statements executed"),
            _metric("prisma_datasource_queries_total", total, {}, "Statements sent to PostgreSQL"),
            _metric("orm_slow_queries_total", self.slow, {}, "Statements over slow_query_ms"),
        ]
        for (model, action), histogram in sorted(by_labels.items()):
            labels = {"model": model, "action": action}
            counters.append(_metric("orm_statements_total", histogram.count, labels, "Statements"))
        for (model, action, error), count in sorted(self.errors.items()):
            labels = {"model": model, "action": action, "error": error}
            counters.append(_metric("orm_statement_errors_total", count, labels, "Failures"))
        for outcome, count in sorted(self.transactions.items()):
            counters.append(
                _metric("orm_transactions_total", count, {"outcome": outcome}, "Transactions")
            )
        return counters

    def _histograms(self) -> list[dict[str, JsonValue]]:
        histograms = [
            _metric(
                "prisma_client_queries_duration_histogram_ms",
                self.all_latency().to_json(),
                {},
                "Statement latency in milliseconds",
            )
        ]
        for (model, action), histogram in sorted(self.by_labels().items()):
            labels = {"model": model, "action": action}
            histograms.append(
                _metric("orm_statement_duration_ms", histogram.to_json(), labels, "Latency")
            )
        return histograms


def _pool_gauges(pools: dict[str, PoolGauges]) -> list[dict[str, JsonValue]]:
    gauges: list[dict[str, JsonValue]] = []
    names = {
        "open": ("prisma_pool_connections_open", "Open connections"),
        "busy": ("prisma_pool_connections_busy", "Connections running a statement"),
        "idle": ("prisma_pool_connections_idle", "Connections waiting in the pool"),
        "waiting": ("prisma_client_queries_wait", "Callers waiting for a connection"),
    }
    active = sum(gauge.busy for gauge in pools.values())
    gauges.append(_metric("prisma_client_queries_active", active, {}, "Statements running now"))
    for pool, gauge in pools.items():
        for attribute, (key, description) in names.items():
            value: int = getattr(gauge, attribute)
            gauges.append(_metric(key, value, {"pool": pool}, description))
    return gauges


def _metric(
    key: str, value: JsonValue, labels: dict[str, str], description: str
) -> dict[str, JsonValue]:
    return {"key": key, "labels": labels, "value": value, "description": description}
