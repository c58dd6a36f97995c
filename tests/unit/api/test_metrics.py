"""Prometheus text: our histograms and counters (the database client renders its own)."""

from __future__ import annotations

from api.metrics import ApiMetrics


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
