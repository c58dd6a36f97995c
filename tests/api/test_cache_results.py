"""The resolver-level cache (`ResultCache`) and what happens when Redis is down."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

from api.cache import CacheUnavailableError, RedisBackend, TaggedCache
from api.metrics import ApiMetrics
from tests.api.conftest import COMPUTED, RunApi
from tests.conftest import TEST_REDIS_URL

TOTAL = "query Total($name: String!) { cachedTotal(name: $name) }"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_results_are_computed_once_and_invalidated_by_tag(run_api: RunApi) -> None:
    async with run_api() as api:
        before = COMPUTED.total
        first = await api.query(TOTAL, {"name": "rc"}, extensions={"cache": False})
        second = await api.query(TOTAL, {"name": "rc"}, extensions={"cache": False})
        await api.query('mutation { bump(name: "rc") }')
        third = await api.query(TOTAL, {"name": "rc"}, extensions={"cache": False})
    assert COMPUTED.total - before == 2
    assert first.json() == second.json() == {"data": {"cachedTotal": 0}}
    assert second.headers["x-sql-statements"] == "0"
    assert third.json() == {"data": {"cachedTotal": 1}}
    assert api.services.metrics.cache.value(level="result", outcome="hit") == 1


async def test_concurrent_result_misses_compute_once(run_api: RunApi) -> None:
    async with run_api() as api:
        cache = api.services.cache
        calls = 0

        async def compute() -> int:
            nonlocal calls
            calls += 1
            await asyncio.sleep(0.05)
            return 42

        results = await asyncio.gather(
            *(
                cache.get_or_compute(
                    "flight",
                    compute,
                    ttl=30,
                    tags=["t"],
                    encode=lambda v: str(v).encode(),
                    decode=lambda b: int(b),
                )
                for _ in range(20)
            )
        )
    assert results == [42] * 20
    assert calls == 1


async def test_redis_down_still_serves_and_counts_errors(run_api: RunApi) -> None:
    async with run_api(redis_url=f"redis://127.0.0.1:{closed_port()}/0") as api:
        responses = [await api.query(TOTAL, {"name": "down"}) for _ in range(5)]
        metrics = await api.client.get("/metrics")
        health = await api.client.get("/health/cache")
        bumped = await api.query('mutation { bump(name: "down") }')
    assert all(r.status_code == 200 for r in responses)
    assert all(r.json() == {"data": {"cachedTotal": 0}} for r in responses)
    assert bumped.json() == {"data": {"bump": 1}}
    errors = api.services.metrics.cache.value(level="operation", outcome="error")
    assert errors >= 5
    assert 'api_cache_events_total{level="operation",outcome="error"}' in metrics.text
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable"


async def test_workers_sharing_redis_compute_a_miss_once(redis_prefix: str) -> None:
    """Two caches with their own connections stand for two worker processes."""
    workers = [
        TaggedCache(
            RedisBackend(TEST_REDIS_URL, prefix=redis_prefix, timeout_ms=200),
            ApiMetrics(),
            lock_wait=30,  # a bound for a loaded machine; the wait ends when the value lands
        )
        for _ in range(2)
    ]
    calls = 0

    async def compute() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.2)
        return "value"

    try:
        results = await asyncio.gather(
            *(
                cache.get_or_compute(
                    "shared",
                    compute,
                    ttl=30,
                    tags=["t"],
                    encode=str.encode,
                    decode=bytes.decode,
                )
                for cache in workers
            )
        )
    finally:
        for cache in workers:
            await cache.backend.close()
    assert results == ["value", "value"]
    assert calls == 1


async def test_redis_refuses_a_value_read_before_a_write(redis_prefix: str) -> None:
    redis = RedisBackend(TEST_REDIS_URL, prefix=redis_prefix, timeout_ms=200)
    try:
        _, seen = await redis.get("k")
        await redis.invalidate(["dream:1"])
        assert not await redis.store("k", b"stale", ttl=30, tags=["dream:1"], seen=seen)
        assert (await redis.get("k"))[0] is None
        _, seen = await redis.get("k")
        assert await redis.store("k", b"fresh", ttl=30, tags=["dream:1"], seen=seen)
        assert (await redis.get("k"))[0] == b"fresh"
    finally:
        await redis.close()


async def test_the_circuit_breaker_stops_calling_a_dead_redis() -> None:
    redis = RedisBackend(f"redis://127.0.0.1:{closed_port()}/0", prefix="x:", failures_to_open=2)
    reasons: list[str] = []
    try:
        for _ in range(3):
            try:
                await redis.get("k")
            except CacheUnavailableError as error:
                reasons.append(str(error))
    finally:
        await redis.close()
    assert len(reasons) == 3
    assert "circuit breaker is open" not in reasons[0]
    assert reasons[2] == "Redis circuit breaker is open"


async def test_a_burst_larger_than_the_redis_pool_queues_instead_of_failing(
    redis_prefix: str,
) -> None:
    redis = RedisBackend(TEST_REDIS_URL, prefix=redis_prefix, timeout_ms=500, max_connections=4)
    try:
        results = await asyncio.gather(*(redis.get(f"k{i}") for i in range(200)))
    finally:
        await redis.close()
    assert [value for value, _ in results] == [None] * 200


async def test_a_worker_waiting_after_a_write_never_gets_a_value_computed_before_it(
    redis_prefix: str,
) -> None:
    """Worker A computes from pre-write data while worker B invalidates and then reads."""
    a, b = (
        TaggedCache(
            RedisBackend(TEST_REDIS_URL, prefix=redis_prefix, timeout_ms=200),
            ApiMetrics(),
            lock_wait=30,  # B must stop waiting once A unlocks without storing
        )
        for _ in range(2)
    )
    loop = asyncio.get_running_loop()
    started = asyncio.Event()

    async def before_the_write() -> str:
        started.set()
        await asyncio.sleep(0.3)
        return "old"

    async def after_the_write() -> str:
        return "new"

    async def read(cache: TaggedCache, compute: Callable[[], Awaitable[str]]) -> str:
        return await cache.get_or_compute(
            "k", compute, ttl=30, tags=["t"], encode=str.encode, decode=bytes.decode
        )

    try:
        old = asyncio.create_task(read(a, before_the_write))
        await started.wait()
        await b.invalidate(["t"])
        waited = loop.time()
        assert await read(b, after_the_write) == "new"
        assert loop.time() - waited < 5  # A's 0.3 s computation, not B's 30 s lock_wait
        assert await old == "old"  # its own caller still gets it, but it was never stored
        assert await read(a, before_the_write) == "new"
    finally:
        await a.backend.close()
        await b.backend.close()


async def test_a_silent_redis_delays_requests_boundedly_then_the_breaker_opens(
    run_api: RunApi,
) -> None:
    """A Redis that accepts connections and never answers: the worst case for timeouts."""

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up
        writer.close()

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    took: list[float] = []
    try:
        async with run_api(redis_url=f"redis://127.0.0.1:{port}/0") as api:
            for _ in range(5):
                started = loop.time()
                response = await api.query(TOTAL, {"name": "silent"})
                took.append(loop.time() - started)
                assert response.json() == {"data": {"cachedTotal": 0}}
    finally:
        server.close()
    assert max(took) < 2.0  # REDIS_TIMEOUT_MS=250 bounds each call (0.5 s with pool wait)
    assert took[-1] < 0.25  # the breaker is open: no more waiting for Redis
    assert api.services.metrics.cache.value(level="operation", outcome="error") >= 3
