"""The cache epoch: what makes a cache that could not invalidate stop serving.

An invalidation that can't reach Redis (a stall, the breaker open, Redis down) leaves entries
that a committed write made stale; once Redis answers again they would be served until their
TTL, to every viewer (a dream its owner just made private included). So such a failure bumps
the epoch, a counter in PostgreSQL (`cache_epochs`), in the same statement as a NOTIFY. Every
cache key carries the epoch it was computed in (`TaggedCache`), and a process reads and writes
only keys of the epoch it knows: after a bump, everything cached before it is unreachable (and
expires by its TTL), including values a computation that started before the bump stores late.

How each process learns the epoch without a query per request: one LISTEN connection (opened
at startup, re-opened with backoff when it drops) hears every bump; it reads the epoch itself
after LISTEN, so no bump between the two is missed. While that connection is down the epoch is
read from the primary before each cache lookup; when that read fails too, `current()` is None
and the caller serves from the database, uncached.

The window left: a bump's NOTIFY reaches other processes a few milliseconds after the bumping
request answers. A client that writes through one process and at once reads through another
whose Redis calls succeed again can, within those milliseconds, read an entry of the old epoch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Protocol, cast

import asyncpg

from api.listening import ListenConnection, connect_listener
from orm.runtime.url import parse_url

if TYPE_CHECKING:
    from prisma import Prisma

__all__ = ["CacheEpochs", "EpochSource"]

logger = logging.getLogger(__name__)

RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)

_CHANNEL = "'cache_epoch_' || left(md5(current_schema()), 16)"
CHANNEL_SQL = f"SELECT {_CHANNEL} AS channel"
# Raw SQL: the ORM has no upsert with an atomic increment returning the new value in one
# statement together with pg_notify, and raw statements always run on the primary (a replica
# may lag behind a bump).
READ_SQL = "SELECT coalesce(max(epoch), 0) AS epoch FROM cache_epochs WHERE id = 1"
BUMP_SQL = f"""
WITH bumped AS (
  INSERT INTO cache_epochs (id, epoch, updated_at) VALUES (1, 1, now())
  ON CONFLICT (id) DO UPDATE SET epoch = cache_epochs.epoch + 1, updated_at = now()
  RETURNING epoch
)
SELECT epoch, pg_notify({_CHANNEL}, epoch::text) AS notified FROM bumped
"""


class EpochSource(Protocol):
    async def current(self) -> int | None:
        """The epoch to read and write under; None when it can't be known (don't cache)."""
        ...

    async def bump(self) -> None:
        """Make every entry cached so far unusable, in every process."""
        ...

    async def close(self) -> None: ...


_DOWN = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError)


class CacheEpochs:
    """The epoch of the database at `url`, kept current by NOTIFY; bumps through `db`."""

    def __init__(self, db: Prisma, url: str) -> None:
        self._db = db
        self._settings = parse_url(url)
        self._epoch = 0
        self._connection: ListenConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def listening(self) -> bool:
        return self._connection is not None

    async def start(self) -> None:
        """Listen (or keep trying in the background: lookups read the epoch meanwhile)."""
        try:
            await self._listen()
        except _DOWN as exc:
            logger.warning("cache epoch listener could not connect (%s); retrying", exc)
            self._retry()

    async def current(self) -> int | None:
        if self._connection is not None:
            return self._epoch
        try:
            row = await self._db.query_first(READ_SQL)
        except Exception as exc:  # the database is down or busy: don't cache
            logger.debug("cache epoch unreadable: %s", exc)
            return None
        self._epoch = max(self._epoch, int(row["epoch"])) if row else self._epoch
        return self._epoch

    async def bump(self) -> None:
        row = await self._db.query_first(BUMP_SQL)
        if row is not None:
            self._heard_epoch(int(row["epoch"]))
        logger.warning("cache epoch now %s: entries cached before are not served", self._epoch)

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            await connection.close()

    # -- the LISTEN connection
    async def _listen(self) -> None:
        settings = self._settings
        connection = await connect_listener(
            settings.dsn,
            server_settings=settings.server_settings(),
            timeout=settings.connect_timeout,
        )
        try:
            channel = str(await connection.fetchval(CHANNEL_SQL))
            await connection.add_listener(channel, self._heard)
            epoch = await connection.fetchval(READ_SQL)  # after LISTEN: no bump is missed
        except BaseException:
            await connection.close()
            raise
        self._heard_epoch(int(cast("int", epoch)))
        connection.add_termination_listener(self._lost)
        self._connection = connection

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        with contextlib.suppress(ValueError):
            self._heard_epoch(int(payload))

    def _heard_epoch(self, epoch: int) -> None:
        self._epoch = max(self._epoch, epoch)

    def _lost(self, _connection: object) -> None:
        self._connection = None
        if not self._closed:
            logger.warning("lost the cache epoch listener; reading the epoch per lookup meanwhile")
            self._retry()

    def _retry(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        attempt = 0
        while not self._closed:
            await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1
            try:
                await self._listen()
            except _DOWN as exc:
                logger.debug("cache epoch listener: reconnect failed (%s)", exc)
                continue
            logger.info("cache epoch listener restored")
            return
