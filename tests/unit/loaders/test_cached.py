"""`cached_batch`: one computation for a batch's misses, through the API's own tagged cache
(in-process backend, so no I/O)."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import TypeAdapter

import loaders.cached as cached_module
from api.cache import MemoryBackend, TaggedCache
from api.metrics import ApiMetrics
from loaders.cached import BatchSpec, cached, cached_batch

ADAPTER = TypeAdapter(int)


def _cache() -> TaggedCache:
    return TaggedCache(MemoryBackend(), ApiMetrics())


class Squares:
    """compute_many that records each call's keys."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    async def __call__(self, keys: list[int]) -> list[int]:
        self.calls.append(keys)
        await asyncio.sleep(0)
        return [key * key for key in keys]

    def spec(self) -> BatchSpec[int, int]:
        return BatchSpec(
            self,
            key_of=lambda key: f"square:{key}",
            tags_of=lambda key: [f"n:{key}"],
            adapter=ADAPTER,
            ttl=60,
        )


async def test_misses_are_computed_together_and_hits_not_at_all() -> None:
    cache, squares = _cache(), Squares()

    async def cached_two() -> int:
        return 4

    await cached(cache, "square:2", cached_two, adapter=ADAPTER, ttl=60, tags=["n:2"])

    assert await cached_batch(cache, [1, 2, 3], squares.spec()) == [1, 4, 9]
    assert squares.calls == [[1, 3]]
    assert await cached_batch(cache, [3, 1], squares.spec()) == [9, 1]
    assert squares.calls == [[1, 3]]


async def test_invalidated_keys_are_computed_again() -> None:
    cache, squares = _cache(), Squares()
    await cached_batch(cache, [1, 2], squares.spec())

    await cache.invalidate(["n:2"])

    assert await cached_batch(cache, [1, 2], squares.spec()) == [1, 4]
    assert squares.calls == [[1, 2], [2]]


async def test_overlapping_batches_of_concurrent_requests_both_finish() -> None:
    cache, first, second = _cache(), Squares(), Squares()

    results = await asyncio.wait_for(
        asyncio.gather(
            cached_batch(cache, [1, 2, 3], first.spec()),
            cached_batch(cache, [3, 2, 1], second.spec()),
        ),
        timeout=5,
    )

    assert results == [[1, 4, 9], [9, 4, 1]]
    computed = sorted(key for calls in (first.calls, second.calls) for c in calls for key in c)
    assert computed == [1, 2, 3]


class SlowBackend(MemoryBackend):
    """Lookups of odd keys answer after `delay` (a busy loop or a slow Redis)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def get(self, key: str) -> tuple[bytes | None, int]:
        if int(key.rsplit(":", 1)[-1]) % 2:
            await asyncio.sleep(self.delay)
        return await super().get(key)


async def test_misses_that_outlast_the_wait_are_still_computed_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cached_module, "SETTLE_TIMEOUT", 0.01)
    cache, squares = TaggedCache(SlowBackend(0.1), ApiMetrics()), Squares()

    keys = list(range(1, 41))
    assert await cached_batch(cache, keys, squares.spec()) == [key * key for key in keys]

    assert sorted(len(call) for call in squares.calls) == [20, 20]  # not one call per late key
