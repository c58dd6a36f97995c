"""Cache-aside with typed values.

`cached(...)` wraps `ResultCache.get_or_compute`, encoding values as JSON through a pydantic
`TypeAdapter` (dataclasses, pydantic models, lists of them). `cached_batch(...)` does the same
for a DataLoader batch: every key is looked up at once, and the misses are computed together by
one call (one SQL statement) instead of one call per key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import TypeAdapter

if TYPE_CHECKING:
    from loaders.cache import ResultCache

__all__ = ["BatchSpec", "cached", "cached_batch"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

# How long a batch waits for its keys' lookups before computing the misses it has: lookups
# that joined another request's computation in flight are not waited for beyond this. Misses
# that arrive later (a busy event loop, a slow cache) are computed together too, in batches of
# what arrives within LATE_WINDOW, so a slow cache never turns a batch into a query per key.
SETTLE_TIMEOUT = 1.0
LATE_WINDOW = 0.005


async def cached(
    cache: ResultCache,
    key: str,
    compute: Callable[[], Awaitable[T]],
    *,
    adapter: TypeAdapter[T],
    ttl: int,
    tags: Iterable[str],
) -> T:
    def encode(value: T) -> bytes:
        return adapter.dump_json(value)

    def decode(raw: bytes) -> T:
        return adapter.validate_json(raw)

    return await cache.get_or_compute(
        key, compute, ttl=ttl, tags=list(tags), encode=encode, decode=decode
    )


class BatchSpec(Generic[K, T]):
    """How a batch's keys map to cache entries, and how to compute many missing values."""

    __slots__ = ("adapter", "compute_many", "key_of", "tags_of", "ttl")

    def __init__(
        self,
        compute_many: Callable[[list[K]], Awaitable[list[T]]],
        *,
        key_of: Callable[[K], str],
        tags_of: Callable[[K], Iterable[str]],
        adapter: TypeAdapter[T],
        ttl: int,
    ) -> None:
        self.compute_many = compute_many
        self.key_of = key_of
        self.tags_of = tags_of
        self.adapter = adapter
        self.ttl = ttl


class _Misses(Generic[K, T]):
    """Collects the keys whose lookups missed, until every lookup has hit or missed."""

    def __init__(self, spec: BatchSpec[K, T], total: int) -> None:
        self._spec = spec
        self._pending = total
        self._waiting: dict[K, asyncio.Future[T]] = {}
        self._late: dict[K, asyncio.Future[T]] = {}
        self._flushed = False
        self.settled = asyncio.get_running_loop().create_future()

    def settle(self) -> None:
        self._pending -= 1
        if self._pending <= 0 and not self.settled.done():
            self.settled.set_result(None)

    async def compute(self, key: K) -> T:
        future = asyncio.get_running_loop().create_future()
        if self._flushed:  # a lookup that outlasted the wait: computed with the other late ones
            if not self._late:
                asyncio.get_running_loop().call_later(LATE_WINDOW, self._flush_late)
            self._late[key] = future
            return await future
        self._waiting[key] = future
        self.settle()
        return await future

    async def flush(self) -> None:
        self._flushed = True
        await self._compute(self._waiting)

    def _flush_late(self) -> None:
        late, self._late = self._late, {}
        task = asyncio.get_running_loop().create_task(self._compute(late))
        _LATE_FLUSHES.add(task)
        task.add_done_callback(_LATE_FLUSHES.discard)

    async def _compute(self, waiting: dict[K, asyncio.Future[T]]) -> None:
        if not waiting:
            return
        keys = list(waiting)
        try:
            values = await self._spec.compute_many(keys)
        except Exception as exc:
            for future in waiting.values():
                if not future.done():
                    future.set_exception(exc)
            return
        for key, value in zip(keys, values, strict=True):
            if not waiting[key].done():
                waiting[key].set_result(value)


# Late flushes in progress (the event loop keeps only weak references to tasks).
_LATE_FLUSHES: set[asyncio.Task[None]] = set()


async def cached_batch(cache: ResultCache, keys: Sequence[K], spec: BatchSpec[K, T]) -> list[T]:
    misses = _Misses(spec, len(keys))

    async def lookup(key: K) -> T:
        computing = False

        async def compute() -> T:
            nonlocal computing
            computing = True
            return await misses.compute(key)

        try:
            return await cached(
                cache,
                spec.key_of(key),
                compute,
                adapter=spec.adapter,
                ttl=spec.ttl,
                tags=spec.tags_of(key),
            )
        finally:
            if not computing:
                misses.settle()

    tasks = [asyncio.create_task(lookup(key)) for key in keys]
    await asyncio.wait([misses.settled], timeout=SETTLE_TIMEOUT)
    await misses.flush()
    return list(await asyncio.gather(*tasks))
