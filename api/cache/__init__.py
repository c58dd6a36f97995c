"""Both cache levels: whole-operation results and resolver results (cache-aside), with tags.

`build_cache(settings, metrics)` picks Redis when `REDIS_URL` is set and process memory when it
isn't; the two behave the same (TTL on every entry, tag invalidation, single flight).
"""

from __future__ import annotations

from api.cache.backend import CacheBackend, CacheUnavailableError, MemoryBackend, RedisBackend
from api.cache.epoch import CacheEpochs, EpochSource
from api.cache.operations import OperationDocument, describe, operation_key, wants_cache
from api.cache.tagged import Entry, Lookup, TaggedCache
from api.metrics import ApiMetrics
from api.settings import Settings

__all__ = [
    "CacheBackend",
    "CacheEpochs",
    "CacheUnavailableError",
    "Entry",
    "EpochSource",
    "Lookup",
    "MemoryBackend",
    "OperationDocument",
    "RedisBackend",
    "TaggedCache",
    "build_cache",
    "describe",
    "operation_key",
    "wants_cache",
]


def build_cache(
    settings: Settings, metrics: ApiMetrics, *, epochs: EpochSource | None = None
) -> TaggedCache:
    """`epochs` (the database's cache epoch) matters with Redis only: in process, an
    invalidation can't fail."""
    backend: CacheBackend
    if settings.redis_url:
        backend = RedisBackend(
            settings.redis_url, prefix=settings.cache_prefix, timeout_ms=settings.redis_timeout_ms
        )
    else:
        backend = MemoryBackend(
            max_entries=settings.cache_max_entries, max_bytes=settings.cache_max_mb * 1024 * 1024
        )
    epochs = epochs if settings.redis_url else None
    return TaggedCache(backend, metrics, enabled=settings.cache_enabled, epochs=epochs)
