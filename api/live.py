"""Dream events from PostgreSQL to this process's subscribers: one LISTEN connection per process.

Writers announce events with NOTIFY inside their transaction (`resolvers/dreams/events.py`), so
every API process hears every committed change, whichever process made it. Why PostgreSQL and
not Redis pub/sub: PostgreSQL is the authority for the data and already required, NOTIFY is
delivered exactly when the change becomes visible (on commit, never for a rollback), and live
updates keep working while Redis is down or absent (`REDIS_URL` unset). The price is one
dedicated connection per process, which must be a session (not PgBouncer's transaction
pooling: point `DATABASE_URL` at PostgreSQL or a session-mode pool for it).

Events name what changed, not the data: each subscriber re-reads (see
`resolvers/dreams/live.py`). When the connection drops, it reconnects with backoff and then
sends every subscriber an `updated` event, so nothing missed in between goes unseen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncGenerator, AsyncIterator

import asyncpg

from api.listening import ListenConnection, connect_listener
from orm.runtime.url import parse_url
from resolvers.dreams.events import CHANNEL_SQL, DreamEvent

__all__ = ["DreamEvents"]

logger = logging.getLogger(__name__)

QUEUE_SIZE = 32  # events waiting per subscriber; beyond that they coalesce (each means "re-read")
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)


class DreamEvents:
    """Subscribers `listen(dream_id)`; the first one opens the LISTEN connection."""

    def __init__(self, url: str) -> None:
        self._settings = parse_url(url)
        self._queues: defaultdict[str, set[asyncio.Queue[DreamEvent]]] = defaultdict(set)
        self._connection: ListenConnection | None = None
        self._ready: asyncio.Task[None] | None = None
        self._closed = False

    @contextlib.asynccontextmanager
    async def listen(self, dream_id: str) -> AsyncGenerator[AsyncIterator[DreamEvent]]:
        """Events about one dream while the block runs, starting now (the listener is
        connected before this yields, so nothing committed afterwards is missed)."""
        queue: asyncio.Queue[DreamEvent] = asyncio.Queue(QUEUE_SIZE)
        self._queues[dream_id].add(queue)
        try:
            await self._listening()
            yield _drain(queue)
        finally:
            queues = self._queues.get(dream_id)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self._queues[dream_id]

    async def close(self) -> None:
        self._closed = True
        if self._ready is not None:
            self._ready.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._ready
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            await connection.close()

    @property
    def subscribers(self) -> int:
        return sum(len(queues) for queues in self._queues.values())

    # -- the LISTEN connection
    async def _listening(self) -> None:
        if self._ready is None or (self._ready.done() and self._connection is None):
            self._ready = asyncio.create_task(self._connect(resync=False))
        await asyncio.shield(self._ready)

    async def _connect(self, *, resync: bool) -> None:
        settings = self._settings
        connection = await connect_listener(
            settings.dsn,
            server_settings=settings.server_settings(),
            timeout=settings.connect_timeout,
        )
        channel = str(await connection.fetchval(CHANNEL_SQL))
        await connection.add_listener(channel, self._heard)
        connection.add_termination_listener(self._lost)
        self._connection = connection
        if resync:  # tell everyone to re-read what they may have missed
            for dream_id in list(self._queues):
                self._deliver(DreamEvent(dream_id, "updated"))

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        event = DreamEvent.decode(payload)
        if event is not None:
            self._deliver(event)

    def _deliver(self, event: DreamEvent) -> None:
        for queue in self._queues.get(event.dream_id, ()):
            with contextlib.suppress(asyncio.QueueFull):  # it has re-reads pending already
                queue.put_nowait(event)

    def _lost(self, _connection: object) -> None:
        self._connection = None
        if not self._closed:
            logger.warning("lost the dream events connection; reconnecting")
            self._ready = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        for attempt in range(1_000_000):
            delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
            await asyncio.sleep(delay)
            try:
                await self._connect(resync=True)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                logger.warning("dream events: reconnect failed (%s); retrying", exc)
                continue
            logger.info("dream events connection restored")
            return


async def _drain(queue: asyncio.Queue[DreamEvent]) -> AsyncIterator[DreamEvent]:
    while True:
        yield await queue.get()
