"""The cache-aside contract resolvers use for expensive shared results (charts, analytics,
public discovery, dashboards).

CONTRACT: `api/cache.py` implements `ResultCache` over Redis (or in-process memory when no
`REDIS_URL` is set); resolvers call `get_or_compute`. Every entry has a TTL and records the tags
it depends on (`dream:{id}`, `user:{id}:dreams`, `project:{id}`, `models`, ...); a mutation calls
`invalidate(tags)` after its transaction commits, so a read right after a write sees the write.
Misses for the same key are computed once (single flight). Cache failures never raise: the value
is computed from the database and the failure is counted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol, TypeVar

__all__ = ["TTL", "ResultCache"]

T = TypeVar("T")


class TTL:
    """Seconds, from document 000's cache TTL recommendations."""

    USER_DREAMS = 300
    DREAM_PROGRESS = 600
    MODEL_STATS = 3600
    PUBLIC_DISCOVERY = 60
    DASHBOARD = 300


class ResultCache(Protocol):
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
        """The cached value for `key`, or `compute()`'s result stored under it for `ttl` seconds."""
        ...

    async def invalidate(self, tags: Iterable[str]) -> None:
        """Drop every entry (operation results included) recorded under any of `tags`."""
        ...
