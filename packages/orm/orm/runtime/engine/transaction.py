"""One transaction on one pooled connection: BEGIN … COMMIT, savepoints, and expiry.

Statements are serialised by a lock (asyncpg runs one command per connection at a time, so
`asyncio.gather` on a transaction client queues instead of failing). With a `timeout`, every
statement runs under the transaction's deadline and a timer closes an idle transaction at the
deadline: either way it is rolled back, its connection returned to the pool, and any later use
raises `TransactionExpiredError`. BEGIN / SAVEPOINT / COMMIT are not reported to query
listeners (they would skew statement counts); `orm_transactions_total` counts outcomes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Literal

import asyncpg

from orm.runtime import errors
from orm.runtime.engine.executors import BaseExecutor, Call, T
from orm.runtime.engine.translate import translate
from orm.runtime.types import IsolationLevel

if TYPE_CHECKING:
    from orm.runtime.engine.core import Engine
    from orm.runtime.engine.pool import Connection

__all__ = ["ISOLATION_SQL", "TransactionExecutor"]

ISOLATION_SQL: dict[IsolationLevel, str] = {
    "ReadUncommitted": "READ UNCOMMITTED",
    "ReadCommitted": "READ COMMITTED",
    "RepeatableRead": "REPEATABLE READ",
    "Serializable": "SERIALIZABLE",
}
_ROLLBACK_GRACE = 5.0

State = Literal["open", "committed", "rolled_back", "expired"]


class TransactionExecutor(BaseExecutor):
    __slots__ = ("_conn", "_deadline", "_depth", "_expiry", "_lock", "_state", "_timeout", "_timer")

    def __init__(self, engine: Engine, conn: Connection, *, timeout: float | None) -> None:
        super().__init__(engine)
        self._conn: Connection | None = conn
        self._lock = asyncio.Lock()
        self._state: State = "open"
        self._depth = 0
        self._timeout = timeout
        loop = asyncio.get_running_loop()
        self._deadline = None if timeout is None else loop.time() + timeout
        self._timer = None if timeout is None else loop.call_later(timeout, self._on_deadline)
        self._expiry: asyncio.Task[None] | None = None

    @classmethod
    async def begin(
        cls,
        engine: Engine,
        *,
        max_wait: float | None = None,
        expires_in: float | None = None,
        isolation_level: IsolationLevel | None = None,
    ) -> TransactionExecutor:
        pools = engine.pools
        conn = await pools.acquire(pools.primary, max_wait)
        tx = cls(engine, conn, timeout=expires_in)
        begin = "BEGIN"
        if isolation_level is not None:
            begin += f" ISOLATION LEVEL {ISOLATION_SQL[isolation_level]}"
        try:
            await tx._control(begin)
        except BaseException:
            await tx._close("rolled_back")
            raise
        return tx

    @property
    def in_transaction(self) -> bool:
        return True

    @property
    def state(self) -> State:
        return self._state

    async def _call(self, is_read: bool, call: Call[T]) -> T:
        async with self._lock:
            if self._state == "open" and self._past_deadline():
                await self._close("expired")
            conn = self._checked()
            try:
                async with asyncio.timeout_at(self._deadline):
                    return await call(conn)
            except TimeoutError:
                if not self._past_deadline():
                    raise
                await self._close("expired")
                raise self._expired_error() from None

    def _checked(self) -> Connection:
        if self._state == "expired":
            raise self._expired_error()
        if self._state != "open" or self._conn is None:
            # prisma-client-py raises TransactionExpiredError for the engine's "already closed"
            raise errors.TransactionExpiredError(
                "Transaction API error: Transaction already closed: A query cannot be executed "
                f"on a {self._state.replace('_', ' ')} transaction. Start a new one with "
                "`db.tx()` and use its client inside the `with` block only."
            )
        return self._conn

    def _past_deadline(self) -> bool:
        return self._deadline is not None and asyncio.get_running_loop().time() >= self._deadline

    def _expired_error(self) -> errors.TransactionExpiredError:
        timeout_ms = round((self._timeout or 0) * 1000)
        return errors.TransactionExpiredError(
            f"The transaction expired after {timeout_ms} ms and was rolled back. Raise "
            "`timeout` in `db.tx(timeout=...)`, or do less (or no non-database) work inside it."
        )

    async def _control(self, sql: str) -> None:
        try:
            await self._call(False, lambda conn: conn.execute(sql))
        except asyncpg.PostgresError as exc:
            raise translate(exc, None, self._engine.names) from exc

    # -- nesting
    def transaction(self) -> AbstractAsyncContextManager[BaseExecutor]:
        return self._savepoint()

    @asynccontextmanager
    async def _savepoint(self) -> AsyncGenerator[BaseExecutor]:
        name = await self.savepoint()
        try:
            yield self
        except BaseException:
            await self.rollback_to_savepoint(name)
            raise
        await self.release_savepoint(name)

    async def savepoint(self) -> str:
        self._depth += 1
        name = f"orm_savepoint_{self._depth}"
        try:
            await self._control(f"SAVEPOINT {name}")
        except BaseException:
            self._depth -= 1
            raise
        return name

    async def release_savepoint(self, name: str) -> None:
        self._depth -= 1
        await self._control(f"RELEASE SAVEPOINT {name}")

    async def rollback_to_savepoint(self, name: str) -> None:
        """Undo the work since `savepoint()`; a no-op once the transaction itself has ended."""
        self._depth -= 1
        if self._state == "open":
            await self._control(f"ROLLBACK TO SAVEPOINT {name}")

    # -- the end
    async def commit(self) -> None:
        try:
            await self._control("COMMIT")
        except BaseException:
            if self._state == "open":
                await self._close("rolled_back")
            raise
        await self._close("committed")

    async def rollback(self) -> None:
        """Roll back; a no-op once the transaction has ended (expired, committed, failed)."""
        if self._state == "open":
            async with self._lock:
                await self._close("rolled_back")

    def _on_deadline(self) -> None:
        if self._state == "open":
            self._expiry = asyncio.ensure_future(self._expire())
            self._expiry.add_done_callback(_report_expiry_failure)

    async def _expire(self) -> None:
        async with self._lock:
            if self._state == "open":
                await self._close("expired")

    async def _close(self, outcome: State) -> None:
        """Roll back unless committed, give the connection back, record the outcome."""
        if self._timer is not None:
            self._timer.cancel()
        conn, self._conn = self._conn, None
        self._state = outcome
        self._engine.observer.metrics.record_transaction(outcome)
        if conn is None:
            return
        if outcome != "committed" and not conn.is_closed():
            try:
                async with asyncio.timeout(_ROLLBACK_GRACE):
                    await conn.execute("ROLLBACK")
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError):
                conn.terminate()  # the pool replaces it
        with contextlib.suppress(asyncpg.InterfaceError, OSError):
            pools = self._engine.pools
            await pools.release(pools.primary, conn, clean=outcome == "committed")


def _report_expiry_failure(task: asyncio.Future[None]) -> None:
    """Expiry runs in the background: log its failure (e.g. the pool closed meanwhile) instead of
    leaving asyncio to complain that a task exception was never retrieved."""
    if not task.cancelled() and (exc := task.exception()) is not None:
        logging.getLogger("orm.runtime").warning(
            "Rolling back an expired transaction failed: %s", exc
        )
