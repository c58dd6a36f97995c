"""`Engine`: what a client and all its transaction copies share, and the pool-bound executor."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from orm.runtime.engine.compile import StatementCompiler
from orm.runtime.engine.executors import BaseExecutor, Call, T
from orm.runtime.engine.names import ColumnNames, Names
from orm.runtime.engine.observe import Observer
from orm.runtime.engine.pool import Pools, _Datasource  # pyright: ignore[reportPrivateUsage]
from orm.runtime.engine.replicas import connection_lost
from orm.runtime.engine.transaction import TransactionExecutor
from orm.runtime.url import ClientSettings

__all__ = ["Engine", "PoolExecutor"]


class Engine:
    """Pools, the compiled-statement cache, the observer and the name map for error messages.

    Holds no state a request depends on beyond the connections, so any number of stateless
    workers can each run one.
    """

    def __init__(
        self, settings: ClientSettings, observer: Observer, names: Names | None = None
    ) -> None:
        self.settings = settings
        self.pools = Pools(settings)
        self.compiler = StatementCompiler()
        self.observer = observer
        self.names: Names = names or ColumnNames()
        self.executor = PoolExecutor(self)

    @property
    def is_open(self) -> bool:
        return self.pools.is_open

    async def open(self, wait: float | None = None) -> None:
        await self.pools.open(wait)

    async def close(self, wait: float | None = None) -> None:
        await self.pools.close(wait)


class PoolExecutor(BaseExecutor):
    """Checks a connection out of the pool for each statement."""

    __slots__ = ()

    @property
    def in_transaction(self) -> bool:
        return False

    async def _call(self, is_read: bool, call: Call[T]) -> T:
        """A read that loses its node or connection (a replica stopped, the primary restarted)
        runs once more on the primary, on a fresh connection; a write is never repeated."""
        pools = self._engine.pools
        source = pools.source(is_read)
        try:
            return await self._call_on(source, call)
        except Exception as exc:
            on_replica = source is not pools.primary
            if not (is_read and connection_lost(exc, on_replica=on_replica)):
                raise
            pools.router.failed(source, exc)
        return await self._call_on(pools.primary, call)

    async def _call_on(self, source: _Datasource, call: Call[T]) -> T:
        pools = self._engine.pools
        # the common case, a parked connection taken and parked again, awaits nothing but
        # the statement
        conn = pools.take_parked(source) or await pools.acquire(source)
        try:
            result = await call(conn)
        except BaseException:
            await pools.release(source, conn)
            raise
        if not pools.park(source, conn):
            await pools.release(source, conn)
        return result

    def transaction(self) -> AbstractAsyncContextManager[BaseExecutor]:
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncGenerator[BaseExecutor]:
        tx = await TransactionExecutor.begin(self._engine)
        try:
            yield tx
        except BaseException:
            await tx.rollback()
            raise
        await tx.commit()
