"""Health, metrics and monitoring routes."""

from __future__ import annotations

import re

import pytest

from api import monitor
from api.settings import MonitoringAccess
from prisma import Prisma
from tests.api.conftest import TOKENS, RunApi
from tests.conftest import TEST_DATABASE_URL, with_query


async def test_liveness(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_database_health(run_api: RunApi) -> None:
    async with run_api() as api:
        plain = await api.client.get("/health/database")
        detailed = await api.client.get("/health/database", params={"detailed": "true"})
    assert plain.json()["status"] == "ok"
    assert plain.json()["latencyMs"] >= 0
    assert "tables" not in plain.json()
    body = detailed.json()
    assert set(body["pool"]["primary"]) == {"open", "busy", "idle", "waiting"}
    tables = {t["table"]: t for t in body["tables"]}
    assert {"users", "dreams", "api_response_times", "counters"} <= set(tables)
    assert tables["users"]["totalBytes"] > 0


async def test_database_down_is_a_503(run_api: RunApi) -> None:
    async with run_api() as api:
        probe = api.services.health
        probe.db = Prisma(datasource={"url": with_query(TEST_DATABASE_URL.replace(":5432", ":1"))})
        response = await api.client.get("/health/database")  # the probe's own connection fails
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


async def test_cache_health(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.get("/health/cache")
    body = response.json()
    assert (response.status_code, body["status"], body["backend"]) == (200, "ok", "redis")


async def test_metrics_are_prometheus_text(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query("query Hello { hello }")
        await api.query('query Counter { counter(name: "m") }')
        await api.query('query Counter { counter(name: "m") }')
        response = await api.client.get("/metrics")
    text = response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE graphql_request_duration_seconds histogram" in text
    assert 'graphql_request_duration_seconds_count{operation="Hello"} 1' in text
    assert 'graphql_sql_statements_per_request_bucket{operation="Hello",le="0"} 1' in text
    assert 'api_cache_events_total{level="operation",outcome="hit"} 1' in text
    assert re.search(r'api_cache_hit_ratio\{level="operation"\} 0\.333', text)  # 1 of 3
    assert re.search(r'prisma_pool_connections_open\{pool="primary"\} \d+', text)
    for line in text.splitlines():
        assert line.startswith("#") or re.fullmatch(
            r"[a-z_]+(\{.*\})? -?[0-9.e+-]+|.* \+?Inf", line
        )


async def test_unused_indexes_are_listed(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.get("/monitor/queries", params={"type": "unused"})
    indexes = {i["index"] for i in response.json()["indexes"]}
    assert "idx_dreams_user_recent" in indexes


async def test_slow_queries_say_whether_pg_stat_statements_is_there(run_api: RunApi) -> None:
    async with run_api() as api:
        slow = await api.client.get("/monitor/queries", params={"type": "slow"})
        usage = await api.client.get("/monitor/queries", params={"type": "usage"})
        bad = await api.client.get("/monitor/queries", params={"type": "everything"})
    for response in (slow, usage):
        body = response.json()
        assert response.status_code == 200
        assert isinstance(body["available"], bool)
        if not body["available"]:
            assert "pg_stat_statements" in body["reason"]
    assert bad.status_code == 400


async def test_monitoring_can_be_restricted_to_admins(run_api: RunApi) -> None:
    async with run_api(monitoring_access=MonitoringAccess.ADMIN) as api:
        url = "/monitor/queries?type=unused"
        anonymous = await api.client.get(url)
        user = await api.client.get(url, headers={"Authorization": f"Bearer {TOKENS['alice']}"})
        admin = await api.client.get(url, headers={"Authorization": f"Bearer {TOKENS['root']}"})
        detailed = await api.client.get("/health/database?detailed=true")
        liveness = await api.client.get("/health")
    assert (anonymous.status_code, user.status_code, admin.status_code) == (401, 403, 200)
    assert detailed.status_code == 401
    assert liveness.status_code == 200


async def test_read_replicas_show_up_as_pools(run_api: RunApi, api_database: str) -> None:
    async with run_api(database_replica_urls=(api_database,)) as api:
        for _ in range(3):
            await api.query('{ counter(name: "replica") }', extensions={"cache": False})
        detailed = await api.client.get("/health/database", params={"detailed": "true"})
    pools = detailed.json()["pool"]
    assert len(pools) == 2, pools


async def test_pg_stat_statements_installed_but_not_preloaded(run_api: RunApi) -> None:
    """The statements' SQL is valid against the extension's view (EXPLAIN plans it), and an
    extension that was created but not preloaded is reported, not raised."""
    async with run_api() as api:
        db = api.services.db
        if await db.query_raw(
            "SELECT 1 AS x FROM pg_extension WHERE extname = 'pg_stat_statements'"
        ):
            pytest.skip("pg_stat_statements is already installed in this database")
        schema = (await db.query_raw("SELECT current_schema() AS s"))[0]["s"]
        await db.execute_raw(f'CREATE EXTENSION pg_stat_statements SCHEMA "{schema}"')
        try:
            sql = monitor.STATEMENTS_SQL.format(order="mean_exec_time", limit=monitor.LIMIT)
            plan = await db.query_raw("EXPLAIN " + sql, 200.0)
            slow = await api.client.get("/monitor/queries", params={"type": "slow"})
        finally:
            await db.execute_raw("DROP EXTENSION pg_stat_statements")
    assert plan
    body = slow.json()
    if body["available"]:  # preloaded after all
        assert isinstance(body["statements"], list)
    else:
        assert "shared_preload_libraries" in body["reason"]
