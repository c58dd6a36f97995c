"""Statement counters, latency histograms and pool gauges, in prisma-client-py's JSON shape.

`get_metrics()` returns a `Metrics` model (`.counters`, `.gauges`, `.histograms`), each entry a
`Metric` with `key`, `labels`, `value` and `description`; a histogram's value is a
`MetricHistogram` (`buckets` of `HistogramBucket(max_value=<upper bound ms>, total_count=...)`,
cumulative, Prometheus' `le` buckets; `sum` in ms, `count`). `get_metrics(format="prometheus")`
gives the same figures as Prometheus text. The figures are per process: each worker reports its
own and the scraper adds them up.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pydantic

from orm.runtime.types import JsonValue

__all__ = [
    "BUCKETS_MS",
    "Histogram",
    "HistogramBucket",
    "Metric",
    "MetricHistogram",
    "Metrics",
    "MetricsRecorder",
    "PoolGauges",
    "to_prometheus",
    "with_labels",
]

ValueT = TypeVar("ValueT")

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


class _Snapshot(pydantic.BaseModel):
    """Validators are built on first use, not at import (a client's import never needs them)."""

    model_config = pydantic.ConfigDict(defer_build=True)


class HistogramBucket(_Snapshot):
    """One cumulative bucket: `total_count` observations took at most `max_value` ms."""

    max_value: float
    total_count: int


class MetricHistogram(_Snapshot):
    buckets: list[HistogramBucket]
    sum: float
    count: int


class Metric(_Snapshot, Generic[ValueT]):
    key: str
    labels: dict[str, str]
    value: ValueT
    description: str


class Metrics(_Snapshot):
    """What `get_metrics()` returns, shaped as prisma-client-py's `prisma.Metrics`."""

    counters: list[Metric[int]]
    gauges: list[Metric[float]]
    histograms: list[Metric[MetricHistogram]]


@dataclass(slots=True)
class MetricsRecorder:
    """Mutated only from the event loop's thread, so no locks."""

    statements: dict[Labels, int] = field(default_factory=dict[Labels, int])
    errors: dict[tuple[str, str, str], int] = field(default_factory=dict[tuple[str, str, str], int])
    latency: dict[Labels, Histogram] = field(default_factory=dict[Labels, Histogram])
    all_latency: Histogram = field(default_factory=Histogram)
    slow: int = 0
    transactions: dict[str, int] = field(default_factory=dict[str, int])

    def record(self, model: str | None, action: str | None, duration_ms: float) -> None:
        key = (model or "", action or "")
        self.statements[key] = self.statements.get(key, 0) + 1
        histogram = self.latency.get(key)
        if histogram is None:
            histogram = self.latency[key] = Histogram()
        histogram.observe(duration_ms)
        self.all_latency.observe(duration_ms)

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
        total = sum(self.statements.values())
        counters = [
            _metric("prisma_client_queries_total", total, {}, "Statements executed"),
            _metric("prisma_datasource_queries_total", total, {}, "Statements sent to PostgreSQL"),
            _metric("orm_slow_queries_total", self.slow, {}, "Statements over slow_query_ms"),
        ]
        for (model, action), count in sorted(self.statements.items()):
            labels = {"model": model, "action": action}
            counters.append(_metric("orm_statements_total", count, labels, "Statements"))
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
                self.all_latency.to_json(),
                {},
                "Statement latency in milliseconds",
            )
        ]
        for (model, action), histogram in sorted(self.latency.items()):
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


def with_labels(metrics: Metrics, labels: Mapping[str, str] | None) -> Metrics:
    """`metrics` with `labels` (prisma-client-py's `global_labels`) added to every entry."""
    if not labels:
        return metrics
    groups = (metrics.counters, metrics.gauges, metrics.histograms)
    for entry in (e for group in groups for e in group):
        entry.labels = {**labels, **entry.labels}
    return metrics


def to_prometheus(metrics: Metrics) -> str:
    """Prometheus text exposition of `metrics`: one HELP/TYPE header per key. Histogram buckets
    are cumulative milliseconds, exposed as they are with the unit in the name (`..._ms`)."""
    lines: list[str] = []
    groups = (("counter", metrics.counters), ("gauge", metrics.gauges))
    for kind, entries in groups:
        for key, group in _by_key(entries):
            lines += [f"# HELP {key} {group[0].description}", f"# TYPE {key} {kind}"]
            lines += [f"{key}{_labels(e.labels)} {_number(e.value)}" for e in group]
    for key, histograms in _by_key(metrics.histograms):
        lines += [f"# HELP {key} {histograms[0].description}", f"# TYPE {key} histogram"]
        for entry in histograms:
            lines.extend(_histogram_lines(key, entry))
    return "\n".join(lines) + "\n" if lines else ""


MetricT = TypeVar("MetricT", bound=Metric[int] | Metric[float] | Metric[MetricHistogram])


def _by_key(entries: Iterable[MetricT]) -> list[tuple[str, list[MetricT]]]:
    grouped: dict[str, list[MetricT]] = {}
    for entry in entries:
        grouped.setdefault(entry.key, []).append(entry)
    return sorted(grouped.items())


def _histogram_lines(key: str, entry: Metric[MetricHistogram]) -> Iterable[str]:
    value = entry.value
    for bucket in value.buckets:
        le = _number(bucket.max_value)
        yield f"{key}_bucket{_labels(entry.labels, le=le)} {bucket.total_count}"
    yield f"{key}_bucket{_labels(entry.labels, le='+Inf')} {value.count}"
    yield f"{key}_sum{_labels(entry.labels)} {_number(value.sum)}"
    yield f"{key}_count{_labels(entry.labels)} {value.count}"


def _labels(labels: Mapping[str, str], **extra: str) -> str:
    pairs = [*sorted(labels.items()), *extra.items()]
    if not pairs:
        return ""
    escaped = (
        (k, v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')) for k, v in pairs
    )
    return "{" + ",".join(f'{k}="{v}"' for k, v in escaped) + "}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
