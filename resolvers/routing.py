"""Which reads may run on a read replica: analytics and public discovery, through `on_replica`.

Every other read runs on the primary (the API sets that per request). `on_replica` lets a
read use a replica that has replayed the viewer's own last write (read-your-writes); `shared`
results (stored in a cache every viewer reads from) wait for everyone's last write instead, so
a lagging replica never puts a result older than a write into a shared cache entry.

Use it inside the cache-aside producer, so a cache hit costs no freshness lookup:

    await cached(scope.cache, key, lambda: on_replica(scope, read, shared=True), ...)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from orm.runtime.routing import read_from_replica
from resolvers.scope import RequestScope

__all__ = ["on_replica"]

T = TypeVar("T")


async def on_replica(
    scope: RequestScope, read: Callable[[], Awaitable[T]], *, shared: bool = False
) -> T:
    floor = await scope.write_floor(shared)
    with read_from_replica(min_lsn=floor):
        return await read()
