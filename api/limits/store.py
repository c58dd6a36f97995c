"""Where rate-limit state lives: Redis (shared by every API process), or process memory.

Both run GCRA (the generic cell rate algorithm): a bucket of `limit` per `seconds` keeps one
number, its *theoretical arrival time* (TAT). Each request moves the TAT on by
`cost * seconds / limit`; it is allowed while the TAT stays within `seconds` of now, and a
refused request is told exactly when it would be allowed. So a viewer may send `limit` requests
at once, then one every `seconds / limit`, and a bucket's state is one key that expires when it
has fully refilled (at least a second on: a key's TTL is never shown as 0).

A request's buckets (its viewer's `all` and one per root field) are taken together, atomically:
one Lua script in Redis reads every TAT, and writes the new ones only if every bucket allows the
request, so a refused request costs nothing and two processes can't both take the last token.
Time is Redis's own (`TIME`), so processes with skewed clocks share one timeline. Keys share a
hash tag (`{subject}`), so they sit on one slot of a Redis Cluster.

Redis failures (timeouts, refused connections) raise `LimitStoreUnavailableError`; after three
in a row a breaker fails calls at once for five seconds, so a dead Redis adds no latency.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from api.limits.rates import Bucket

__all__ = [
    "LimitStore",
    "LimitStoreUnavailableError",
    "MemoryLimitStore",
    "RedisLimitStore",
    "Verdict",
]

# KEYS: one per bucket; ARGV: per bucket, its period (ms), limit and cost.
# Returns {refused bucket index (0: none), wait in ms (string), fewest tokens left}.
_TAKE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local tats, refused, wait, left = {}, 0, 0, -1
for i = 1, #KEYS do
  local period = tonumber(ARGV[3 * i - 2])
  local interval = period / tonumber(ARGV[3 * i - 1])
  local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or now), now)
  local new_tat = tat + tonumber(ARGV[3 * i]) * interval
  local over = new_tat - period - now
  if over > wait then refused, wait = i, over end
  local tokens = math.floor((period - (new_tat - now)) / interval + 1e-6)
  if left < 0 or tokens < left then left = tokens end
  tats[i] = new_tat
end
if refused > 0 then return {refused, tostring(wait), 0} end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], tostring(tats[i]), 'PX', math.max(math.ceil(tats[i] - now), 1000))
end
return {0, '0', left}
"""


class LimitStoreUnavailableError(Exception):
    """The store could not answer; the limiter lets the request through and counts it."""


@dataclass(frozen=True, slots=True)
class Verdict:
    refused: Bucket | None  # the bucket that refused the request (the longest wait), if any
    retry_after: float = 0.0  # seconds until the request would be allowed
    remaining: int = 0  # requests the fullest-used bucket still allows right now

    @property
    def allowed(self) -> bool:
        return self.refused is None


class LimitStore(Protocol):
    kind: str

    async def take(self, subject: str, buckets: Sequence[Bucket]) -> Verdict: ...

    async def close(self) -> None: ...


def _spend(
    tats: Sequence[float], buckets: Sequence[Bucket], now: float
) -> tuple[int, float, int, list[float]]:
    """GCRA, as `_TAKE` runs it, over `tats` (ms): (1-based refused index or 0, wait in ms,
    tokens left, the new TATs)."""
    refused, wait, left = 0, 0.0, -1
    new_tats: list[float] = []
    for i, (tat, bucket) in enumerate(zip(tats, buckets, strict=True), start=1):
        period = bucket.rate.seconds * 1000
        interval = period / bucket.rate.limit
        new_tat = max(tat, now) + bucket.cost * interval
        over = new_tat - period - now
        if over > wait:
            refused, wait = i, over
        tokens = math.floor((period - (new_tat - now)) / interval + 1e-6)  # not 1.99...
        left = tokens if left < 0 else min(left, tokens)
        new_tats.append(new_tat)
    return refused, wait, left, new_tats


def _verdict(buckets: Sequence[Bucket], refused: int, wait_ms: float, left: int) -> Verdict:
    if refused:
        return Verdict(buckets[refused - 1], wait_ms / 1000)
    return Verdict(None, 0.0, max(left, 0))


@dataclass(slots=True)
class _Breaker:
    """Opens for `open_seconds` after `threshold` failures in a row."""

    threshold: int
    open_seconds: float
    failures: int = 0
    open_until: float = 0.0

    def check(self) -> None:
        if time.monotonic() < self.open_until:
            raise LimitStoreUnavailableError("the rate limit breaker is open")

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            self.open_until = time.monotonic() + self.open_seconds


class RedisLimitStore:
    kind = "redis"

    def __init__(self, url: str, *, prefix: str, timeout_ms: int = 250) -> None:
        self._deadline = max(timeout_ms / 500, 0.2)  # a whole call: twice the socket timeout
        # Blocking: a burst of requests queues briefly for a connection instead of failing open.
        self._pool = BlockingConnectionPool.from_url(  # pyright: ignore[reportUnknownMemberType]
            url,
            max_connections=64,
            timeout=self._deadline,
            socket_timeout=timeout_ms / 1000,
            socket_connect_timeout=timeout_ms / 1000,
            retry=Retry(NoBackoff(), 0),  # the deadline bounds a call; no retries behind it
        )
        self._redis = Redis(connection_pool=self._pool)
        self._script = self._redis.register_script(_TAKE)  # pyright: ignore[reportUnknownMemberType]
        self._prefix = prefix
        self._breaker = _Breaker(threshold=3, open_seconds=5.0)

    async def take(self, subject: str, buckets: Sequence[Bucket]) -> Verdict:
        self._breaker.check()
        keys = [f"{self._prefix}rl:{{{subject}}}:{bucket.name}" for bucket in buckets]
        args = [v for b in buckets for v in (b.rate.seconds * 1000, b.rate.limit, b.cost)]
        try:
            async with asyncio.timeout(self._deadline):
                reply = await self._script(keys=keys, args=args)  # pyright: ignore[reportUnknownVariableType]
        except (RedisError, OSError, TimeoutError) as exc:
            self._breaker.failed()
            raise LimitStoreUnavailableError(f"Redis failed: {exc!r}") from exc
        self._breaker.failures = 0
        refused, wait, left = cast("list[int | bytes]", reply)
        return _verdict(buckets, int(refused), float(wait), int(left))

    async def close(self) -> None:
        await self._redis.aclose()
        await self._pool.aclose()


class MemoryLimitStore:
    """The same algorithm in one process (no `REDIS_URL`), bounded to `max_keys` buckets."""

    kind = "memory"

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._tats: OrderedDict[str, float] = OrderedDict()

    async def take(self, subject: str, buckets: Sequence[Bucket]) -> Verdict:
        now = self._clock() * 1000
        keys = [f"{subject}:{bucket.name}" for bucket in buckets]
        tats = [self._tats.get(key, now) for key in keys]
        refused, wait, left, new_tats = _spend(tats, buckets, now)
        if not refused:
            for key, tat in zip(keys, new_tats, strict=True):
                self._tats[key] = tat
                self._tats.move_to_end(key)
            while len(self._tats) > self._max_keys:
                self._tats.popitem(last=False)
        return _verdict(buckets, refused, wait, left)

    async def close(self) -> None:
        self._tats.clear()
