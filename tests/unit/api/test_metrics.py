"""Prometheus text: our histograms and counters, and the database client's metrics."""

from __future__ import annotations

from api.metrics import ApiMetrics, render_client_metrics
from orm.runtime.types import JsonValue


def test_histograms_are_cumulative_with_sum_and_count() -> None:
    metrics = ApiMetrics()
    for seconds in (0.004, 0.02, 0.02, 3.0):
        metrics.request_seconds.observe(seconds, operation="Q")
    text = metrics.render()
    assert 'graphql_request_duration_seconds_bucket{operation="Q",le="0.005"} 1' in text
    assert 'graphql_request_duration_seconds_bucket{operation="Q",le="0.025"} 3' in text
    assert 'graphql_request_duration_seconds_bucket{operation="Q",le="+Inf"} 4' in text
    assert 'graphql_request_duration_seconds_count{operation="Q"} 4' in text
    assert 'graphql_request_duration_seconds_sum{operation="Q"} 3.044' in text


def test_label_values_are_escaped() -> None:
    metrics = ApiMetrics()
    metrics.requests.inc(operation='say "hi"\\', status="200")
    assert 'operation="say \\"hi\\"\\\\"' in metrics.render()


def test_operation_labels_are_bounded() -> None:
    metrics = ApiMetrics()
    labels = {metrics.operation_label(f"Op{i}") for i in range(500)}
    assert len(labels) == 201
    assert "other" in labels
    assert metrics.operation_label(None) == "anonymous"


def test_client_metrics_render_as_prometheus_families() -> None:
    snapshot: dict[str, JsonValue] = {
        "counters": [
            {"key": "prisma_client_queries_total", "labels": {}, "value": 7, "description": "d"}
        ],
        "gauges": [
            {
                "key": "prisma_pool_connections_busy",
                "labels": {"pool": "primary"},
                "value": 2,
                "description": "busy",
            }
        ],
        "histograms": [
            {
                "key": "prisma_client_queries_duration_histogram_ms",
                "labels": {},
                "value": {"buckets": [[1, 3], [5, 6]], "sum": 9.5, "count": 7},
                "description": "latency",
            }
        ],
    }
    text = render_client_metrics(snapshot)
    assert "# TYPE prisma_client_queries_total counter\nprisma_client_queries_total 7" in text
    assert 'prisma_pool_connections_busy{pool="primary"} 2' in text
    assert 'prisma_client_queries_duration_histogram_ms_bucket{le="5"} 6' in text
    assert 'prisma_client_queries_duration_histogram_ms_bucket{le="+Inf"} 7' in text
    assert "prisma_client_queries_duration_histogram_ms_sum 9.5" in text
