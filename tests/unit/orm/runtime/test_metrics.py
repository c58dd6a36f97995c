"""`get_metrics()`'s model and its Prometheus text."""

from __future__ import annotations

from orm.runtime.metrics import Metrics, to_prometheus, with_labels
from orm.runtime.types import JsonValue


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
                "value": {
                    "buckets": [
                        {"max_value": 1, "total_count": 3},
                        {"max_value": 5, "total_count": 6},
                    ],
                    "sum": 9.5,
                    "count": 7,
                },
                "description": "latency",
            }
        ],
    }
    text = to_prometheus(Metrics.model_validate(snapshot))
    assert "# TYPE prisma_client_queries_total counter\nprisma_client_queries_total 7" in text
    assert 'prisma_pool_connections_busy{pool="primary"} 2' in text
    assert 'prisma_client_queries_duration_histogram_ms_bucket{le="5"} 6' in text
    assert 'prisma_client_queries_duration_histogram_ms_bucket{le="+Inf"} 7' in text
    assert "prisma_client_queries_duration_histogram_ms_sum 9.5" in text


def test_global_labels_are_added_to_every_entry() -> None:
    metrics = Metrics.model_validate(
        {
            "counters": [{"key": "c", "labels": {"a": "1"}, "value": 1, "description": "d"}],
            "gauges": [],
            "histograms": [],
        }
    )
    text = to_prometheus(with_labels(metrics, {"app": "x"}))
    assert 'c{a="1",app="x"} 1' in text
