"""Prometheus text exposition for the API's own numbers, and the `/metrics` route.

Metrics are per worker process (each uvicorn worker answers for itself), which is what
Prometheus expects when it scrapes workers separately. A small registry of our own keeps the
API free of a client library's global state: each app gets its own `ApiMetrics`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.access import require_metrics
from api.errors import ApiError, error_response
from api.replicas import routing_metrics

__all__ = [
    "ApiMetrics",
    "Counter",
    "Gauge",
    "Histogram",
    "metrics_endpoint",
]

Labels = tuple[tuple[str, str], ...]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
STATEMENT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100)
MAX_OPERATION_LABELS = 200


def _labels(values: dict[str, str]) -> Labels:
    return tuple(sorted(values.items()))


def _render_labels(labels: Labels, extra: Labels = ()) -> str:
    pairs = (*labels, *extra)
    if not pairs:
        return ""
    escaped = (
        (k, v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')) for k, v in pairs
    )
    return "{" + ",".join(f'{k}="{v}"' for k, v in escaped) + "}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Counter:
    kind = "counter"

    def __init__(self, name: str, help_text: str) -> None:
        self.name, self.help = name, help_text
        self._values: dict[Labels, float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = _labels(labels)
        self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self._values.get(_labels(labels), 0.0)

    def samples(self) -> Iterable[str]:
        for labels, value in sorted(self._values.items()):
            yield f"{self.name}{_render_labels(labels)} {_number(value)}"


class Gauge(Counter):
    """A value read at scrape time from `read`, or set by whoever owns it."""

    kind = "gauge"

    def __init__(
        self,
        name: str,
        help_text: str,
        read: Callable[[], dict[Labels, float]] | None = None,
    ) -> None:
        super().__init__(name, help_text)
        self._read = read

    def set(self, value: float, **labels: str) -> None:
        self._values[_labels(labels)] = value

    def samples(self) -> Iterable[str]:
        if self._read is not None:
            self._values = self._read()
        return super().samples()


class Histogram:
    kind = "histogram"

    def __init__(self, name: str, help_text: str, buckets: Sequence[float]) -> None:
        self.name, self.help = name, help_text
        self.buckets = tuple(buckets)
        self._counts: dict[Labels, list[int]] = {}
        self._sums: dict[Labels, float] = {}

    def observe(self, value: float, **labels: str) -> None:
        key = _labels(labels)
        counts = self._counts.setdefault(key, [0] * (len(self.buckets) + 1))
        counts[bisect.bisect_left(self.buckets, value)] += 1
        self._sums[key] = self._sums.get(key, 0.0) + value

    def count(self, **labels: str) -> int:
        return sum(self._counts.get(_labels(labels), []))

    def samples(self) -> Iterable[str]:
        for labels, counts in sorted(self._counts.items()):
            running = 0
            for bound, n in zip((*self.buckets, float("inf")), counts, strict=True):
                running += n
                le = "+Inf" if bound == float("inf") else _number(bound)
                yield f"{self.name}_bucket{_render_labels(labels, (('le', le),))} {running}"
            yield f"{self.name}_sum{_render_labels(labels)} {_number(self._sums[labels])}"
            yield f"{self.name}_count{_render_labels(labels)} {running}"


Metric = Counter | Histogram


class ApiMetrics:
    """The API's own figures; `/metrics` appends the database client's (pool, statements)."""

    def __init__(self) -> None:
        self.request_seconds = Histogram(
            "graphql_request_duration_seconds",
            "GraphQL request latency by operation name",
            LATENCY_BUCKETS,
        )
        self.sql_statements = Histogram(
            "graphql_sql_statements_per_request",
            "SQL statements one GraphQL request ran, by operation name",
            STATEMENT_BUCKETS,
        )
        self.requests = Counter(
            "graphql_requests_total", "GraphQL requests by operation name and outcome"
        )
        self.cache = Counter(
            "api_cache_events_total",
            "cache lookups by level (operation, result) and outcome (hit, miss, error, bypass)",
        )
        self.cache_hit_ratio = Gauge(
            "api_cache_hit_ratio", "hits / (hits + misses) by level", read=self._hit_ratios
        )
        self._operations: set[str] = set()
        self._metrics: list[Metric] = [
            self.request_seconds,
            self.sql_statements,
            self.requests,
            self.cache,
            self.cache_hit_ratio,
        ]

    def operation_label(self, name: str | None) -> str:
        """A bounded label for an operation name: clients choose names, so cap how many."""
        if not name:
            return "anonymous"
        name = name[:64]
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATION_LABELS:
                return "other"
            self._operations.add(name)
        return name

    def add(self, metric: Metric) -> None:
        self._metrics.append(metric)

    def cache_event(self, level: str, outcome: str) -> None:
        self.cache.inc(level=level, outcome=outcome)

    def hit_ratio(self, level: str) -> float | None:
        hits = self.cache.value(level=level, outcome="hit")
        total = hits + self.cache.value(level=level, outcome="miss")
        return None if total == 0 else hits / total

    def _hit_ratios(self) -> dict[Labels, float]:
        ratios: dict[Labels, float] = {}
        for level in ("operation", "result"):
            ratio = self.hit_ratio(level)
            if ratio is not None:
                ratios[(("level", level),)] = ratio
        return ratios

    def render(self) -> str:
        lines: list[str] = []
        for metric in self._metrics:
            lines.append(f"# HELP {metric.name} {metric.help}")
            lines.append(f"# TYPE {metric.name} {metric.kind}")
            lines.extend(metric.samples())
        return "\n".join(lines) + "\n"


async def metrics_endpoint(request: Request) -> Response:
    """The exposition; open unless `METRICS_ACCESS=admin` (see `api/access.py`)."""
    try:
        await require_metrics(request)
    except ApiError as error:
        return error_response(error)
    services = request.app.state.services
    metrics: ApiMetrics = services.metrics
    text = metrics.render() + await services.db.get_metrics(format="prometheus")
    text += routing_metrics(services.db)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4")
