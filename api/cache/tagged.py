"""`TaggedCache`: cache-aside over a backend, with single flight and failures that never raise.

One instance per app serves both levels: whole-operation results (`level="operation"`, keys
`op:<sha256>`) and resolver results through the `ResultCache` protocol (`level="result"`, keys
`rc:<caller's key>`). Both record tags in the same backend, so `invalidate(tags)` after a
mutation drops the operations and the resolver results that read the written data.

Every key is stored under the cache epoch it was computed in (`e<epoch>:op:...`, see
`api/cache/epoch.py`): an invalidation that fails bumps the epoch in PostgreSQL, and from then
on no process reads what was cached before it. When the epoch can't be known (the database is
unreachable too), lookups compute uncached.

Single flight: concurrent misses for one key in this process share one computation (an
`asyncio.Task` the callers await through `shield`, so a disconnecting client does not cancel it
for the others); across workers a short Redis lock (`SET NX PX`) makes other workers poll for
the value for up to `lock_wait` seconds before computing it themselves.

Joining a flight is only allowed when no write happened since it read the backend, in any
process: it remembers the invalidation sequence its lookup saw, and a request joins only if the
backend's sequence is still that (and no invalidation in this process intervened). A request
arriving after a write in another worker therefore never gets a value computed before it.
Across workers the same sequence guards the store: a value computed before an invalidation is
never stored after it, so a worker polling for a key never receives it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from api.cache.backend import CacheBackend, CacheUnavailableError
from api.cache.epoch import EpochSource
from api.metrics import ApiMetrics

__all__ = ["Entry", "Lookup", "TaggedCache"]

T = TypeVar("T")

logger = logging.getLogger(__name__)

Produce = Callable[[], Awaitable["Entry"]]


@dataclass(frozen=True, slots=True)
class Entry:
    """What a computation produced: stored unless `cacheable` is false (a response with errors)."""

    value: bytes
    ttl: int
    tags: frozenset[str]
    cacheable: bool = True


@dataclass(frozen=True, slots=True)
class Lookup:
    value: bytes
    hit: bool


UNREAD = -1  # a flight's lookup could not read the backend's sequence


@dataclass(slots=True)
class _Flight:
    """One computation of a key in this process, and when it started: the count of this
    process's invalidations, and (once its lookup answered) the backend's sequence."""

    generation: int
    seen: asyncio.Future[int]
    task: asyncio.Task[Lookup] | None = None


class TaggedCache:
    def __init__(
        self,
        backend: CacheBackend,
        metrics: ApiMetrics,
        *,
        enabled: bool = True,
        lock_ttl_ms: int = 5_000,
        lock_wait: float = 1.0,
        poll_interval: float = 0.02,
        epochs: EpochSource | None = None,
    ) -> None:
        self.backend = backend
        self.enabled = enabled
        self._metrics = metrics
        self._lock_ttl_ms = lock_ttl_ms
        self._lock_wait = lock_wait
        self._poll = poll_interval
        self._epochs = epochs
        self._flights: dict[str, _Flight] = {}
        self._generation = 0  # bumped by every invalidation in this process

    # -- the ResultCache protocol (loaders/cache.py)
    async def get_or_compute(
        self,
        key: str,
        compute: Callable[[], Awaitable[T]],
        *,
        ttl: int,
        tags: Iterable[str],
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T],
    ) -> T:
        if not self.enabled:
            return await compute()
        frozen_tags = frozenset(tags)

        async def produce() -> Entry:
            return Entry(encode(await compute()), ttl, frozen_tags)

        found = await self.load(f"rc:{key}", produce, level="result")
        return decode(found.value)

    async def invalidate(self, tags: Iterable[str]) -> None:
        tags = sorted(set(tags))
        if not tags:
            return
        self._generation += 1  # from now on, no request joins a flight that started earlier
        try:
            await self.backend.invalidate(tags)
        except CacheUnavailableError as exc:
            logger.warning("cache invalidation of %s failed: %s", tags, exc)
            self._metrics.cache_event("invalidate", "error")
            await self._bump_epoch()

    async def close(self) -> None:
        await self.backend.close()
        if self._epochs is not None:
            await self._epochs.close()

    async def _bump_epoch(self) -> None:
        """Entries under the tags may have survived: make every entry cached so far unusable."""
        if self._epochs is None:
            return
        try:
            await self._epochs.bump()
        except Exception:
            # Neither Redis nor PostgreSQL answered: entries may be served until their TTL.
            logger.exception("cache epoch bump failed after a failed invalidation")
            self._metrics.cache_event("epoch", "error")
        else:
            self._metrics.cache_event("epoch", "bump")

    # -- shared by both levels
    async def load(self, key: str, produce: Produce, *, level: str) -> Lookup:
        """The cached bytes under `key`, or `produce()`'s, computed once per key at a time."""
        epoch = await self._epoch()
        if epoch is None:
            self._metrics.cache_event(level, "error")
            return Lookup((await produce()).value, hit=False)
        key = f"e{epoch}:{key}"
        flight = self._flights.get(key)
        if flight is not None and flight.task is not None and await self._joinable(flight):
            self._metrics.cache_event(level, "shared")
            task = flight.task
        else:
            flight = _Flight(self._generation, asyncio.get_running_loop().create_future())
            task = asyncio.create_task(self._load_once(key, produce, level, flight.seen))
            flight.task = task
            self._flights[key] = flight
            task.add_done_callback(lambda done, started=flight: self._landed(key, started))
        return await asyncio.shield(task)

    async def _epoch(self) -> int | None:
        return 0 if self._epochs is None else await self._epochs.current()

    async def _joinable(self, flight: _Flight) -> bool:
        """Whether no write happened, here or in another worker, since `flight` looked up."""
        if flight.generation != self._generation:
            return False
        try:
            now = await self.backend.sequence()
        except CacheUnavailableError:
            now = UNREAD  # a flight that couldn't read either is as fresh as we can tell
        seen = await asyncio.shield(flight.seen)
        return seen == now and flight.generation == self._generation

    def _landed(self, key: str, flight: _Flight) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        if not flight.seen.done():  # it failed (or was cancelled) before its lookup answered
            flight.seen.set_result(UNREAD)
        task = flight.task
        if task is not None and not task.cancelled():
            # Retrieved here, so a failure nobody awaited any more isn't logged as never retrieved.
            task.exception()

    async def _load_once(
        self, key: str, produce: Produce, level: str, seen_by_flight: asyncio.Future[int]
    ) -> Lookup:
        try:
            value, seen = await self.backend.get(key)
        except CacheUnavailableError:
            seen_by_flight.set_result(UNREAD)
            self._metrics.cache_event(level, "error")
            entry = await produce()
            return Lookup(entry.value, hit=False)
        seen_by_flight.set_result(seen)
        if value is not None:
            self._metrics.cache_event(level, "hit")
            return Lookup(value, hit=True)
        token = await self._lock(key)
        if token is None:
            value = await self._wait_for(key)
            if value is not None:
                self._metrics.cache_event(level, "hit")
                return Lookup(value, hit=True)
        self._metrics.cache_event(level, "miss")
        try:
            entry = await produce()
            if entry.cacheable:
                await self._store(key, entry, seen, level)
        finally:
            if token is not None:
                await self._unlock(key, token)
        return Lookup(entry.value, hit=False)

    async def _store(self, key: str, entry: Entry, seen: int, level: str) -> None:
        try:
            await self.backend.store(
                key, entry.value, ttl=entry.ttl, tags=sorted(entry.tags), seen=seen
            )
        except CacheUnavailableError:
            self._metrics.cache_event(level, "error")

    async def _lock(self, key: str) -> str | None:
        try:
            return await self.backend.lock(key, self._lock_ttl_ms)
        except CacheUnavailableError:
            return "unlocked"  # compute without the cross-worker lock

    async def _unlock(self, key: str, token: str) -> None:
        try:
            await self.backend.unlock(key, token)
        except CacheUnavailableError:
            return  # the lock expires by itself

    async def _wait_for(self, key: str) -> bytes | None:
        """Poll while another worker computes `key`; None when it doesn't land in time, or when
        the lock is released without a value (that worker's result was refused as stale after a
        write, or it failed), so the caller computes at once instead of waiting out `lock_wait`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._lock_wait
        while loop.time() < deadline:
            await asyncio.sleep(self._poll)
            try:
                value, locked = await self.backend.peek(key)
            except CacheUnavailableError:
                return None
            if value is not None or not locked:
                return value
        return None
