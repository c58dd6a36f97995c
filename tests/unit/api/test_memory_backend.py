"""The in-process cache backend: TTLs, LRU bound, tags, and the write-race guard."""

from __future__ import annotations

from api.cache import MemoryBackend


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_entries_expire_after_their_ttl() -> None:
    clock = Clock()
    cache = MemoryBackend(clock=clock)
    await cache.store("k", b"v", ttl=30, tags=["t"], seen=0)
    clock.now += 29
    assert (await cache.get("k"))[0] == b"v"
    clock.now += 2
    assert (await cache.get("k"))[0] is None


async def test_the_least_recently_used_entry_goes_first() -> None:
    cache = MemoryBackend(max_entries=2, clock=Clock())
    await cache.store("a", b"1", ttl=30, tags=[], seen=0)
    await cache.store("b", b"2", ttl=30, tags=[], seen=0)
    await cache.get("a")
    await cache.store("c", b"3", ttl=30, tags=[], seen=0)
    assert [(await cache.get(k))[0] for k in ("a", "b", "c")] == [b"1", None, b"3"]


async def test_invalidating_a_tag_drops_its_entries_only() -> None:
    cache = MemoryBackend(clock=Clock())
    await cache.store("a", b"1", ttl=30, tags=["dream:1"], seen=0)
    await cache.store("b", b"2", ttl=30, tags=["dream:2"], seen=0)
    await cache.invalidate(["dream:1"])
    assert (await cache.get("a"))[0] is None
    assert (await cache.get("b"))[0] == b"2"


async def test_a_value_read_before_a_write_is_not_stored_after_it() -> None:
    cache = MemoryBackend(clock=Clock())
    _, seen = await cache.get("k")  # a reader misses and starts computing
    await cache.invalidate(["dream:1"])  # meanwhile a write commits
    stored = await cache.store("k", b"stale", ttl=30, tags=["dream:1"], seen=seen)
    assert not stored
    assert (await cache.get("k"))[0] is None
    _, seen = await cache.get("k")
    assert await cache.store("k", b"fresh", ttl=30, tags=["dream:1"], seen=seen)


async def test_the_cache_is_bounded_in_bytes_too() -> None:
    cache = MemoryBackend(max_bytes=10, clock=Clock())
    await cache.store("a", b"12345", ttl=30, tags=["t"], seen=0)
    await cache.store("b", b"12345", ttl=30, tags=["t"], seen=0)
    await cache.store("c", b"123", ttl=30, tags=["t"], seen=0)
    assert [(await cache.get(k))[0] for k in ("a", "b", "c")] == [None, b"12345", b"123"]


async def test_peek_reports_no_cross_worker_lock_in_one_process() -> None:
    cache = MemoryBackend()
    assert await cache.peek("k") == (None, False)
    await cache.store("k", b"v", ttl=30, tags=["t"], seen=0)
    assert await cache.peek("k") == (b"v", False)
