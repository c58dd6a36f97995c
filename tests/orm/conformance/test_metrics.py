"""`await client.get_metrics()` (databases/tests/test_metrics.py): Prisma's metric names, in
JSON (counters / gauges / histograms with bucket objects) and Prometheus text."""

from __future__ import annotations

from tests.orm.conformance.generated.client import Prisma


async def test_prometheus(client: Prisma) -> None:
    await client.user.create(data={"name": "Robert"})
    metrics = await client.get_metrics(format="prometheus")
    for name in (
        "prisma_client_queries_total",
        "prisma_datasource_queries_total",
        "prisma_client_queries_active",
        "prisma_client_queries_duration_histogram_ms_bucket",
    ):
        assert name in metrics


async def test_json(client: Prisma) -> None:
    await client.user.create(data={"name": "Robert"})
    metrics = await client.get_metrics(format="json")
    assert isinstance(metrics.model_dump_json(), str)
    assert metrics.counters[0].value > 0
    gauge = next(g for g in metrics.gauges if g.key == "prisma_pool_connections_open")
    assert gauge.value > 0
    histogram = metrics.histograms[0].value
    assert histogram.sum > 0
    assert histogram.count > 0
    assert histogram.buckets
    for bucket in histogram.buckets:
        assert bucket.max_value >= 0
        assert bucket.total_count >= 0
