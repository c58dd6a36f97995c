"""Issue 9, item 9: with the pool exhausted, requests waited the whole pool timeout, then got
"Unexpected error"; `/health/database` queued behind them.

Here the pool is held exhausted for real (every connection inside an open transaction) with a
30 s pool timeout and a 0.2 s queue wait: requests are answered 503 with `Retry-After` long
before the pool timeout could pass, and the probe answers on its own connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import httpx
import pytest

from prisma import Prisma
from tests.api.conftest import RunApi
from tests.reliability.api_fixtures import api_database, redis_prefix, run_api, settings

__all__ = ["api_database", "redis_prefix", "run_api", "settings"]

POOL = {"db_connection_limit": 2, "db_pool_timeout": 30.0, "db_queue_timeout": 0.2}


@asynccontextmanager
async def exhausted(db: Prisma, connections: int) -> AsyncGenerator[asyncio.Event]:
    """Every one of `connections` held in an open transaction until the block ends (or the
    yielded event is set)."""
    release = asyncio.Event()
    holding = [asyncio.Event() for _ in range(connections)]

    async def hold(ready: asyncio.Event) -> None:
        async with db.tx(timeout=60_000) as tx:
            await tx.query_raw("SELECT 1 AS one")
            ready.set()
            await release.wait()

    tasks = [asyncio.create_task(hold(ready)) for ready in holding]
    await asyncio.gather(*(ready.wait() for ready in holding))
    try:
        yield release
    finally:
        release.set()
        await asyncio.gather(*tasks)


def assert_busy(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert "every database connection is in use" in error["message"]


async def test_an_exhausted_pool_is_a_503_with_retry_after(
    run_api: RunApi, caplog: pytest.LogCaptureFixture
) -> None:
    async with run_api(**POOL) as api:
        with caplog.at_level(logging.INFO):
            async with exhausted(api.services.db, 2):
                read = await api.query('{ counter(name: "pool") }', extensions={"cache": False})
                cached_read = await api.query('{ counter(name: "pool") }')
                signed_in = await api.query("{ hello }", user="bob")  # the token lookup
                write = await api.query('mutation { bump(name: "pool") }')
                health = await api.client.get("/health/database")
        after = await api.query('{ counter(name: "pool") }', extensions={"cache": False})

    for response in (read, cached_read, signed_in, write):
        assert_busy(response)
    assert cached_read.headers["x-cache"] == "BYPASS"
    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert after.json() == {"data": {"counter": 0}}  # the refused write never ran
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_request_waits_its_turn_when_a_connection_frees_in_time(run_api: RunApi) -> None:
    patient = {**POOL, "db_queue_timeout": 10.0}
    async with run_api(**patient) as api, exhausted(api.services.db, 2) as release:
        waiting = asyncio.create_task(
            api.query('{ counter(name: "turn") }', extensions={"cache": False})
        )
        await _until_waiting(api.services.db)
        release.set()
        response = await waiting
    assert response.json() == {"data": {"counter": 0}}


async def _until_waiting(db: Prisma) -> None:
    """Until a statement waits in the pool's queue (so the release below is what frees it)."""
    for _ in range(500):
        gauges = (await db.get_metrics()).model_dump()["gauges"]
        if any(g["key"] == "prisma_client_queries_wait" and g["value"] > 0 for g in gauges):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no statement ever waited for a connection")


async def test_the_database_probe_answers_on_its_own_connection(run_api: RunApi) -> None:
    async with run_api(**POOL) as api, exhausted(api.services.db, 2):
        detailed = await api.client.get("/health/database", params={"detailed": "true"})
    body = detailed.json()
    assert (detailed.status_code, body["status"]) == (200, "ok")
    assert body["pool"]["primary"]["busy"] == 2  # the application pool, seen from outside it
