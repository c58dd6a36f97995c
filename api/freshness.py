"""Read-your-writes across API processes when reads may go to replicas.

After a signed-in viewer's mutation, `mark(viewer)` reads the primary's WAL position
(`pg_current_wal_insert_lsn()`: everything the mutation committed lies before it) and keeps it
under `rw:user:<id>` and `rw:latest` in the cache backend (Redis: every process sees it) for
`ttl` seconds, longer than a replica may lag before the router stops using it. `floor(viewer,
shared)` is what `resolvers/routing.py` asks: a replica serves the read only once it has
replayed that far, so 0 reads miss the viewer's own writes, however far replay is behind.

If Redis can't answer, a read goes to the primary (the floor is "everything"), and a marker
that could not be stored is still kept in this process.
"""

from __future__ import annotations

import contextlib
import time

from api.cache import CacheBackend, CacheUnavailableError
from orm.runtime.routing import WRITE_LSN_SQL
from prisma import Prisma
from resolvers.scope import Viewer

__all__ = ["PRIMARY_ONLY", "ReadYourWrites"]

PRIMARY_ONLY = 2**63 - 1  # a floor no replica reaches
LATEST = "rw:latest"


def _key(user_id: str) -> str:
    return f"rw:user:{user_id}"


class ReadYourWrites:
    def __init__(self, db: Prisma, backend: CacheBackend, *, enabled: bool, ttl: int) -> None:
        self.db = db
        self.backend = backend
        self.enabled = enabled  # replicas are configured
        self.ttl = ttl
        self._local: dict[str, tuple[int, float]] = {}

    async def mark(self, viewer: Viewer) -> int | None:
        """Remember the primary's WAL position after `viewer`'s write; returns it."""
        if not self.enabled or viewer.user_id is None:
            return None
        row = await self.db.query_first(WRITE_LSN_SQL)
        lsn = int(row["lsn"]) if row is not None else PRIMARY_ONLY
        expires = time.monotonic() + self.ttl
        if len(self._local) > 10_000:
            now = time.monotonic()
            self._local = {k: v for k, v in self._local.items() if v[1] > now}
        value = str(lsn).encode()
        for key in (_key(viewer.user_id), LATEST):
            self._local[key] = (lsn, expires)
            # Redis down: kept in this process, and processes that can't reach Redis either
            # read the primary.
            with contextlib.suppress(CacheUnavailableError):
                await self.backend.store(key, value, ttl=self.ttl, tags=(), seen=0)
        return lsn

    async def floor(self, viewer: Viewer, shared: bool) -> int | None:
        if not self.enabled:
            return None
        keys = [LATEST] if shared else []
        if viewer.user_id is not None:
            keys.append(_key(viewer.user_id))
        floors = [await self._read(key) for key in keys]
        known = [value for value in floors if value is not None]
        return max(known) if known else None

    async def _read(self, key: str) -> int | None:
        local = self._local.get(key)
        if local is not None and local[1] <= time.monotonic():
            del self._local[key]
            local = None
        try:
            stored, _ = await self.backend.get(key)
        except CacheUnavailableError:
            return PRIMARY_ONLY
        found = int(stored) if stored is not None else None
        if local is not None:
            found = local[0] if found is None else max(found, local[0])
        return found
