"""The asyncpg pools behind one client: the primary and, optionally, read replicas.

One pool per datasource, opened by `connect()`. Every connection decodes `json`/`jsonb` to
Python values and encodes them from Python values; a `str` is taken to be JSON text already (what
SQLAlchemy's JSON type sends), so to write a JSON *string* through raw SQL wrap it: `Json("hi")`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import Awaitable, Callable, Generator, ItemsView, Iterable, Iterator, Sequence
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from typing import Protocol, cast
from uuid import UUID

import asyncpg

from orm.runtime import errors
from orm.runtime.engine.replicas import ReplicaRouter
from orm.runtime.fields import Json
from orm.runtime.recorder import PoolGauges
from orm.runtime.types import JsonValue
from orm.runtime.url import ClientSettings, DatasourceSettings

__all__ = ["MAX_PARKED", "Connection", "Pools", "Record", "encode_json", "limited_wait"]

MAX_PARKED = 4

_wait_limit: ContextVar[float | None] = ContextVar("pool_wait_limit", default=None)


@contextlib.contextmanager
def limited_wait(seconds: float | None) -> Generator[None]:
    """Inside the block, and in the tasks it starts, wait at most `seconds` for a pooled
    connection (or `pool_timeout`, when that is shorter), then raise `PoolTimeoutError`.

    For callers that would rather fail fast than queue behind an exhausted pool: a web request
    answers 503 at once while background work keeps the full `pool_timeout`. None: no limit.
    """
    token = _wait_limit.set(seconds)
    try:
        yield
    finally:
        _wait_limit.reset(token)


# Typed views of the parts of asyncpg we use (asyncpg ships no type information).
class Record(Protocol):
    def keys(self) -> Iterable[str]: ...

    def items(self) -> ItemsView[str, JsonValue]: ...

    def __iter__(self) -> Iterator[JsonValue]:
        """The values, in column order (unlike a Mapping)."""
        ...

    def __getitem__(self, index: int, /) -> JsonValue:
        """The value of the `index`th column (a record also takes a column's label)."""
        ...


class Connection(Protocol):
    async def fetch(self, query: str, *args: object) -> Sequence[Record]: ...

    async def execute(self, query: str, *args: object) -> str: ...

    async def set_type_codec(
        self,
        typename: str,
        *,
        schema: str,
        encoder: Callable[[JsonValue], str],
        decoder: Callable[[str], JsonValue],
        format: str,
    ) -> None: ...

    def is_closed(self) -> bool: ...

    def is_in_transaction(self) -> bool: ...

    def terminate(self) -> None: ...


class Pool(Protocol):
    async def acquire(self, *, timeout: float | None = None) -> Connection: ...  # noqa: ASYNC109

    async def release(self, connection: Connection) -> None: ...

    async def close(self) -> None: ...

    def terminate(self) -> None: ...

    def get_size(self) -> int: ...

    def get_idle_size(self) -> int: ...


_create_pool = cast(
    Callable[..., Awaitable[Pool]],
    asyncpg.create_pool,  # pyright: ignore[reportUnknownMemberType]
)


def _json_default(value: object) -> JsonValue:
    if isinstance(value, Json):
        return value.data
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} can't be stored in a Json field")


def encode_json(value: JsonValue) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Json):
        value = value.data
    return json.dumps(value, default=_json_default, separators=(",", ":"))


async def _keep_session(conn: Connection) -> None:
    """Release without asyncpg's default reset (`RESET ALL; UNLISTEN *; ...`, one more round
    trip per statement). An open transaction is still rolled back by asyncpg. Session settings
    changed with a raw `SET` stay on that pooled connection, as under Prisma's engine: use
    `SET LOCAL` inside `tx()` instead."""


async def _init_connection(conn: Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=encode_json, decoder=json.loads, schema="pg_catalog", format="text"
        )


def _alive(conn: Connection) -> bool:
    try:
        return not conn.is_closed()
    except asyncpg.InterfaceError:
        return False  # lost while parked: asyncpg has already taken it back


class _Datasource:
    """One pool, the line of statements waiting for one of its connections, and connections
    parked after a successful statement.

    At most `connection_limit` connections are checked out (`busy`); later statements wait in
    `line`, first come first served. A clean connection (last statement succeeded, no
    transaction open) is handed straight to the first in line, and otherwise parked here for
    the next statement: asyncpg's `release()` and `acquire(timeout=...)` each cost a task and
    an event-loop turn, and its queue lets a newcomer take a released connection before the
    waiter it woke runs, so under load a waiter can lose its turn again and again (the tail
    latency). A connection that isn't clean goes back to asyncpg (which rolls back or replaces
    it) and its slot to the first in line, which then takes a connection from asyncpg. At most
    `MAX_PARKED` connections stay parked, so after a burst the rest return to asyncpg, which
    closes them once idle (`max_inactive_connection_lifetime`): many workers don't hoard
    connections.
    """

    __slots__ = ("busy", "line", "name", "parked", "pool", "settings", "waiting")

    def __init__(self, name: str, settings: DatasourceSettings) -> None:
        self.name = name
        self.settings = settings
        self.pool: Pool | None = None
        self.waiting = 0
        self.busy = 0
        self.line: deque[asyncio.Future[Connection | None]] = deque()
        self.parked: list[Connection] = []

    async def open(self, *, eager: bool = True) -> None:
        """`eager`: connect one connection now, so a bad URL fails `connect()` (the primary);
        a replica's pool connects on first use, so a replica that is down doesn't."""
        settings = self.settings
        self.busy = 0
        self.pool = await _create_pool(
            settings.dsn,
            min_size=1 if eager else 0,
            max_size=settings.connection_limit,
            timeout=settings.connect_timeout,
            statement_cache_size=settings.statement_cache_size,
            server_settings=settings.server_settings(),
            init=_init_connection,
            reset=_keep_session,
        )

    def first_in_line(self) -> asyncio.Future[Connection | None] | None:
        """The longest-waiting statement still waiting (timed-out or cancelled ones leave)."""
        line = self.line
        while line:
            waiter = line.popleft()
            if not waiter.done():
                return waiter
        return None

    def vacate(self) -> None:
        """A checked-out connection went back to asyncpg: its slot goes to the first in line
        (who takes a connection from asyncpg), or is free."""
        waiter = self.first_in_line()
        if waiter is not None:
            waiter.set_result(None)
        else:
            self.busy -= 1

    def gauges(self) -> PoolGauges:
        if self.pool is None:
            return PoolGauges(open=0, busy=0, idle=0, waiting=0)
        size = self.pool.get_size()
        idle = self.pool.get_idle_size() + len(self.parked)
        return PoolGauges(open=size, busy=size - idle, idle=idle, waiting=self.waiting)


class _Expired(Exception):
    """A waiter's `wait` ran out before a connection was handed to it."""


def _expire(waiter: asyncio.Future[Connection | None]) -> None:
    if not waiter.done():
        waiter.set_exception(_Expired())


class Pools:
    """Open/close, connection checkout with `pool_timeout`, replica routing (`router`), gauges."""

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self.primary = _Datasource("primary", settings.primary)
        self.replicas = [
            _Datasource(f"replica{i}", replica) for i, replica in enumerate(settings.replicas)
        ]
        self.router = ReplicaRouter(self)
        self.is_open = False

    async def open(self, wait: float | None = None) -> None:
        opening = [self.primary.open(), *(replica.open(eager=False) for replica in self.replicas)]
        try:
            async with asyncio.timeout(wait):
                await asyncio.gather(*opening)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await self.close()
            where = self.settings.primary.redacted()
            raise errors.DatabaseUnavailableError(
                f"Could not connect to {where}: {exc or type(exc).__name__}. Check that "
                "PostgreSQL is running and the URL's host, port, user and database are right."
            ) from exc
        self.is_open = True
        if self.replicas:
            await self.router.check()  # know which replicas answer before the first read
            self.router.start()

    async def close(self, wait: float | None = None) -> None:
        self.is_open = False
        await self.router.stop()
        for source in (self.primary, *self.replicas):
            pool, source.pool = source.pool, None
            if pool is None:
                continue
            parked, source.parked = source.parked, []
            while (waiter := source.first_in_line()) is not None:
                waiter.set_exception(errors.ClientNotConnectedError())
            for conn in parked:
                await pool.release(conn)
            try:
                await asyncio.wait_for(pool.close(), wait)
            except TimeoutError:
                pool.terminate()

    def source(self, is_read: bool) -> _Datasource:
        """The primary, or for a read a replica the routing context and its health allow."""
        if not self.replicas:
            return self.primary
        return self.router.source(is_read)

    @staticmethod
    def take_parked(source: _Datasource) -> Connection | None:
        """A parked connection, when one can be had without waiting or awaiting: nobody in
        line, a slot free and the last parked connection open. None: `acquire` instead."""
        parked = source.parked
        if not parked or source.line or source.busy >= source.settings.connection_limit:
            return None
        conn = parked[-1]
        if not _alive(conn):
            return None  # `acquire` hands it back to asyncpg
        parked.pop()
        source.busy += 1
        return conn

    @staticmethod
    def park(source: _Datasource, conn: Connection) -> bool:
        """Give back a connection whose last statement succeeded without awaiting: to the
        first statement in line (the slot goes with it), else parked. False when it must go
        back to asyncpg instead (`release`): in a transaction, or enough parked. (A statement
        that just succeeded left its connection open; one that dies while parked is found by
        `take_parked` and `_checkout`.)"""
        if source.pool is None or conn.is_in_transaction():
            return False
        waiter = source.first_in_line()
        if waiter is not None:
            waiter.set_result(conn)
            return True
        if len(source.parked) < MAX_PARKED:
            source.parked.append(conn)
            source.busy -= 1
            return True
        return False

    async def acquire(self, source: _Datasource, wait: float | None = None) -> Connection:
        """A connection, waiting at most `wait` seconds (default: the source's pool_timeout)
        behind the statements that asked before."""
        if source.pool is None:
            raise errors.ClientNotConnectedError()
        if wait is None:
            wait = source.settings.pool_timeout
        limit = _wait_limit.get()
        if limit is not None:
            wait = min(wait, limit)
        line = source.line
        while line and line[0].done():
            line.popleft()
        if not line and source.busy < source.settings.connection_limit:
            source.busy += 1
            return await self._checkout(source, wait)
        loop = asyncio.get_running_loop()
        started = loop.time()
        conn = await self._wait_in_line(source, wait)
        if conn is not None:
            return conn
        return await self._checkout(source, max(wait - (loop.time() - started), 1.0))

    async def _wait_in_line(self, source: _Datasource, wait: float) -> Connection | None:
        """A connection handed over by a statement that finished, or None: a free slot, to
        take a connection from asyncpg with."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Connection | None] = loop.create_future()
        source.line.append(waiter)
        source.waiting += 1
        timer = loop.call_later(wait, _expire, waiter)
        try:
            return await waiter
        except _Expired:
            raise self._timed_out(source, wait) from None
        except BaseException:  # cancelled: what was handed over goes to the next in line
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                await self._pass_on(source, waiter.result())
            raise
        finally:
            timer.cancel()
            source.waiting -= 1

    async def _pass_on(self, source: _Datasource, handed: Connection | None) -> None:
        if handed is None:
            source.vacate()
        else:
            await self.release(source, handed, clean=True)

    async def _checkout(self, source: _Datasource, wait: float) -> Connection:
        """A parked connection, else one from asyncpg, for a statement holding a slot (which
        it gives up if none can be had)."""
        pool = source.pool
        try:
            if pool is None:
                raise errors.ClientNotConnectedError()
            while source.parked:
                conn = source.parked.pop()
                if _alive(conn):
                    return conn
                with contextlib.suppress(asyncpg.InterfaceError):
                    await pool.release(conn)  # asyncpg replaces it
            try:
                async with asyncio.timeout(wait):
                    return await pool.acquire()
            except TimeoutError:
                raise self._timed_out(source, wait) from None
        except BaseException:
            source.vacate()
            raise

    @staticmethod
    def _timed_out(source: _Datasource, wait: float) -> errors.PoolTimeoutError:
        return errors.PoolTimeoutError(
            f"Timed out after {wait:g} s waiting for a connection from the {source.name} "
            f"pool (connection_limit={source.settings.connection_limit}). Raise "
            "`connection_limit` or `pool_timeout`, or look for long transactions."
        )

    @staticmethod
    async def release(source: _Datasource, conn: Connection, *, clean: bool = False) -> None:
        """Give `conn` back; `clean` when its last statement succeeded (it may then go straight
        to the next statement in line, or be parked)."""
        pool = source.pool
        if pool is None or (clean and Pools.park(source, conn)):
            return
        try:
            await pool.release(conn)
        finally:
            source.vacate()

    def gauges(self) -> dict[str, PoolGauges]:
        return {source.name: source.gauges() for source in (self.primary, *self.replicas)}
