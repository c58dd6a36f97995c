"""Cache-aside with typed values: `cached(...)` wraps `ResultCache.get_or_compute`, encoding
values as JSON through a pydantic `TypeAdapter` (dataclasses, pydantic models, lists of them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from pydantic import TypeAdapter

if TYPE_CHECKING:
    from loaders.cache import ResultCache

__all__ = ["cached"]

T = TypeVar("T")


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
