"""After a write commits: record the tags it touched and drop the cache entries under them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resolvers.scope import RequestScope

__all__ = ["touched"]


async def touched(scope: RequestScope, tags: Iterable[str]) -> None:
    """Call once the transaction has committed, so no reader can re-cache the old value.

    The tags also go to `scope.dirty_tags`, which the server invalidates again when the whole
    operation ends (covering the operation-level cache); invalidating twice is harmless.
    """
    dirty = set(tags)
    scope.dirty_tags.update(dirty)
    await scope.cache.invalidate(dirty)
