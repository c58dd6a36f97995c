"""Where cached bytes live: Redis, or process memory when there is no `REDIS_URL`.

Both backends keep the same model, so tests of one hold for the other:

- an entry is `value` under `key` with a TTL, recorded in one set per tag;
- `invalidate(tags)` deletes every entry recorded under the tags and bumps a global sequence
  number, remembering per tag the sequence at which it was last invalidated;
- `get` returns the value together with the current sequence, and `store(..., seen=seq)` refuses
  to write when one of the entry's tags was invalidated after `seen`. A value computed from data
  read before a write committed is therefore never stored after that write's invalidation.

Every Redis key has a TTL: entries and tag sets their entry's, invalidation markers
`MARKER_TTL`, the sequence a day. Failures surface as `CacheUnavailableError` only; callers count
them and fall back to the database.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol, TypeVar

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

__all__ = ["CacheBackend", "CacheUnavailableError", "MemoryBackend", "RedisBackend"]

R = TypeVar("R")

MARKER_TTL = 120  # seconds a tag's invalidation marker outlives the write; longer than any compute

# A store is refused when Redis lost its sequence (restarted) since `seen` was read, or when
# one of the entry's tags was invalidated after it.
_STORE = """
local seen = tonumber(ARGV[3])
local seq = redis.call('GET', ARGV[4] .. 'seq')
if (not seq and seen > 0) or (seq and tonumber(seq) < seen) then return 0 end
for i = 5, #ARGV do
  local inv = redis.call('GET', ARGV[4] .. 'inv:' .. ARGV[i])
  if inv and tonumber(inv) > seen then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
for i = 5, #ARGV do
  local tag = ARGV[4] .. 'tag:' .. ARGV[i]
  redis.call('SADD', tag, KEYS[1])
  redis.call('EXPIRE', tag, ARGV[2], 'NX')
  redis.call('EXPIRE', tag, ARGV[2], 'GT')
end
return 1
"""

# The sequence starts from the clock (microseconds), so after a restart it never goes back
# to a value a computation that started before the restart saw.
_INVALIDATE = """
if redis.call('EXISTS', ARGV[1] .. 'seq') == 0 then
  local now = redis.call('TIME')
  redis.call('SET', ARGV[1] .. 'seq', now[1] .. string.format('%06d', tonumber(now[2])))
end
local seq = redis.call('INCR', ARGV[1] .. 'seq')
redis.call('EXPIRE', ARGV[1] .. 'seq', 86400)
for i = 3, #ARGV do
  local tag = ARGV[1] .. 'tag:' .. ARGV[i]
  for _, key in ipairs(redis.call('SMEMBERS', tag)) do redis.call('DEL', key) end
  redis.call('DEL', tag)
  redis.call('SET', ARGV[1] .. 'inv:' .. ARGV[i], seq, 'EX', ARGV[2])
end
return seq
"""

_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class CacheUnavailableError(Exception):
    """The cache could not answer in time; the caller serves from the database instead."""


class CacheBackend(Protocol):
    kind: str

    async def get(self, key: str) -> tuple[bytes | None, int]:
        """The value under `key` (None on a miss) and the current invalidation sequence."""
        ...

    async def peek(self, key: str) -> tuple[bytes | None, bool]:
        """The value under `key` (None on a miss), and whether a worker holds its lock."""
        ...

    async def sequence(self) -> int:
        """The current invalidation sequence (what `get` returns beside a value)."""
        ...

    async def store(
        self, key: str, value: bytes, *, ttl: int, tags: Iterable[str], seen: int
    ) -> bool:
        """Store unless a tag was invalidated after sequence `seen`; whether it stored."""
        ...

    async def invalidate(self, tags: Iterable[str]) -> None: ...

    async def lock(self, key: str, ttl_ms: int) -> str | None:
        """A token if this caller now computes `key`, None if another worker does."""
        ...

    async def unlock(self, key: str, token: str) -> None: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


class RedisBackend:
    """Redis with bounded timeouts and a circuit breaker.

    After `failures_to_open` consecutive failures the breaker opens for `open_seconds`: calls
    fail at once instead of each waiting for a timeout, so a dead Redis costs nothing per request.

    `timeout_ms` bounds each socket operation and (doubled, at least 200 ms) each whole call,
    pool wait included. It is measured on the event loop, so a saturated CPU's loop lag counts
    against it: 250 ms (the default) rides out lag that 50 ms did not, where every request then
    went uncached behind an open breaker, and still bounds what a silent Redis costs.
    """

    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        timeout_ms: int = 250,
        failures_to_open: int = 3,
        open_seconds: float = 5.0,
        max_connections: int = 64,
    ) -> None:
        seconds = timeout_ms / 1000
        self._deadline = max(2 * seconds, 0.2)
        # Blocking: under a burst, callers queue briefly for a connection instead of failing.
        pool = BlockingConnectionPool.from_url(  # pyright: ignore[reportUnknownMemberType]
            url,
            max_connections=max_connections,
            timeout=self._deadline,
            socket_timeout=seconds,
            socket_connect_timeout=seconds,
            retry=Retry(NoBackoff(), 0),
        )
        self._pool = pool
        self._redis = Redis(connection_pool=pool)
        self._prefix = prefix
        self._failures_to_open = failures_to_open
        self._open_seconds = open_seconds
        self._failures = 0
        self._open_until = 0.0

    async def _call(self, coro_fn: Callable[[], Awaitable[R]]) -> R:
        if time.monotonic() < self._open_until:
            raise CacheUnavailableError("Redis circuit breaker is open")
        try:
            async with asyncio.timeout(self._deadline):
                result = await coro_fn()
        except (RedisError, OSError, TimeoutError) as exc:
            self._failures += 1
            if self._failures >= self._failures_to_open:
                self._open_until = time.monotonic() + self._open_seconds
            raise CacheUnavailableError(f"Redis failed: {exc!r}") from exc
        self._failures = 0
        return result

    async def get(self, key: str) -> tuple[bytes | None, int]:
        full = self._prefix + key
        value, seq = await self._call(lambda: self._redis.mget([full, self._prefix + "seq"]))
        return (value if isinstance(value, bytes) else None), int(seq or 0)

    async def peek(self, key: str) -> tuple[bytes | None, bool]:
        keys = [self._prefix + key, f"{self._prefix}lock:{key}"]
        value, lock = await self._call(lambda: self._redis.mget(keys))
        return (value if isinstance(value, bytes) else None), lock is not None

    async def sequence(self) -> int:
        seq = await self._call(lambda: self._redis.get(self._prefix + "seq"))
        return int(seq or 0)

    async def store(
        self, key: str, value: bytes, *, ttl: int, tags: Iterable[str], seen: int
    ) -> bool:
        args = [value, max(ttl, 1), seen, self._prefix, *tags]
        stored = await self._call(
            lambda: self._redis.eval(_STORE, 1, self._prefix + key, *args)  # pyright: ignore[reportUnknownLambdaType, reportUnknownMemberType]
        )
        return bool(stored)

    async def invalidate(self, tags: Iterable[str]) -> None:
        tags = list(tags)
        if tags:
            await self._call(
                lambda: self._redis.eval(_INVALIDATE, 0, self._prefix, MARKER_TTL, *tags)  # pyright: ignore[reportUnknownLambdaType, reportUnknownMemberType]
            )

    async def lock(self, key: str, ttl_ms: int) -> str | None:
        token = secrets.token_hex(8)
        lock_key = f"{self._prefix}lock:{key}"
        acquired = await self._call(lambda: self._redis.set(lock_key, token, nx=True, px=ttl_ms))
        return token if acquired else None

    async def unlock(self, key: str, token: str) -> None:
        lock_key = f"{self._prefix}lock:{key}"
        await self._call(lambda: self._redis.eval(_UNLOCK, 1, lock_key, token))  # pyright: ignore[reportUnknownLambdaType, reportUnknownMemberType]

    async def ping(self) -> None:
        await self._call(lambda: self._redis.ping())  # pyright: ignore[reportUnknownLambdaType, reportUnknownMemberType]

    async def close(self) -> None:
        await self._redis.aclose()
        await self._pool.aclose()


class MemoryBackend:
    """The same semantics in one process: LRU-bounded in entries and bytes, TTLs on a
    monotonic clock."""

    kind = "memory"

    def __init__(
        self,
        *,
        max_entries: int = 10_000,
        max_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[str, tuple[bytes, float, tuple[str, ...]]] = OrderedDict()
        self._tags: dict[str, set[str]] = {}
        self._invalidated: dict[str, tuple[int, float]] = {}  # tag: (sequence, when)
        self._seq = 0
        self._max_entries = max_entries

    async def get(self, key: str) -> tuple[bytes | None, int]:
        entry = self._entries.get(key)
        if entry is None:
            return None, self._seq
        if entry[1] <= self._clock():
            self._drop(key)
            return None, self._seq
        self._entries.move_to_end(key)
        return entry[0], self._seq

    async def peek(self, key: str) -> tuple[bytes | None, bool]:
        return (await self.get(key))[0], False  # no cross-worker locks in one process

    async def sequence(self) -> int:
        return self._seq

    async def store(
        self, key: str, value: bytes, *, ttl: int, tags: Iterable[str], seen: int
    ) -> bool:
        tags = tuple(tags)
        if any(self._invalidated.get(tag, (0, 0.0))[0] > seen for tag in tags):
            return False
        self._drop(key)
        self._entries[key] = (value, self._clock() + max(ttl, 1), tags)
        self._bytes += len(value)
        for tag in tags:
            self._tags.setdefault(tag, set()).add(key)
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            self._drop(next(iter(self._entries)))
        return True

    async def invalidate(self, tags: Iterable[str]) -> None:
        self._seq += 1
        now = self._clock()
        for tag in tags:
            for key in list(self._tags.get(tag, ())):
                self._drop(key)
            self._invalidated[tag] = (self._seq, now)
        if len(self._invalidated) > self._max_entries:
            horizon = now - MARKER_TTL
            self._invalidated = {t: m for t, m in self._invalidated.items() if m[1] > horizon}

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        self._bytes -= len(entry[0]) if entry else 0
        for tag in entry[2] if entry else ():
            keys = self._tags.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tags[tag]

    async def lock(self, key: str, ttl_ms: int) -> str | None:
        return "local"  # one process: in-process single flight already serialises misses

    async def unlock(self, key: str, token: str) -> None:
        return None

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._entries.clear()
        self._tags.clear()
        self._bytes = 0
