"""Statement counters, latency histograms and pool gauges, in prisma-client-py's JSON shape.

`get_metrics()` returns a `Metrics` model (`.counters`, `.gauges`, `.histograms`), each entry a
`Metric` with `key`, `labels`, `value` and `description`; a histogram's value is a
`MetricHistogram` (`buckets` of `HistogramBucket(max_value=<upper bound ms>, total_count=...)`,
cumulative, Prometheus' `le` buckets; `sum` in ms, `count`). `get_metrics(format="prometheus")`
gives the same figures as Prometheus text. The figures are per process: each worker reports its
own and the scraper adds them up. `orm.runtime.recorder` counts them; this module (whose
generic pydantic models build their validators as it loads) loads when they are first asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

import pydantic

__all__ = [
    "HistogramBucket",
    "Metric",
    "MetricHistogram",
    "Metrics",
    "to_prometheus",
    "with_labels",
]

ValueT = TypeVar("ValueT")


class HistogramBucket(pydantic.BaseModel):
    """One cumulative bucket: `total_count` observations took at most `max_value` ms."""

    max_value: float
    total_count: int


class MetricHistogram(pydantic.BaseModel):
    buckets: list[HistogramBucket]
    sum: float
    count: int


class Metric(pydantic.BaseModel, Generic[ValueT]):
    key: str
    labels: dict[str, str]
    value: ValueT
    description: str


class Metrics(pydantic.BaseModel):
    """What `get_metrics()` returns, shaped as prisma-client-py's `prisma.Metrics`."""

    counters: list[Metric[int]]
    gauges: list[Metric[float]]
    histograms: list[Metric[MetricHistogram]]


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
