"""`BaseClient`: the async client (connection, transactions, batches, raw queries, metrics).

The shared state and the coroutines doing the I/O are in `ClientCore` (core.py; its docstring
holds the CONTRACT with the generator). `tx()` returns a `TransactionManager[Self]` whose
`__aenter__` yields a copy of the client bound to one connection inside BEGIN ... COMMIT.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

from orm.runtime import errors
from orm.runtime.batch import BatchBase
from orm.runtime.core import DISCONNECT_WAIT, ClientCore, ms
from orm.runtime.engine.observe import QueryEvent, QueryListener
from orm.runtime.models import BaseModel
from orm.runtime.modules import defer
from orm.runtime.registry import get_client, register
from orm.runtime.types import IsolationLevel

if TYPE_CHECKING:
    from orm.runtime.engine.transaction import TransactionExecutor
    from orm.runtime.metrics import Metrics
else:  # the engine (and asyncpg) load with the first transaction: see orm.runtime.modules
    defer(globals(), {"TransactionExecutor": "orm.runtime.engine.transaction:TransactionExecutor"})

__all__ = [
    "DISCONNECT_WAIT",
    "BaseClient",
    "BatchBase",
    "ClientCore",
    "QueryEvent",
    "QueryListener",
    "TransactionManager",
    "get_client",
    "register",
]

ClientT = TypeVar("ClientT", bound=ClientCore)
RawModelT = TypeVar("RawModelT", bound=BaseModel)


class BaseClient(ClientCore):
    # -- lifecycle
    async def connect(self, timeout: timedelta | float | None = None) -> None:  # noqa: ASYNC109
        """Open the pools (one connection each, more on demand). A no-op when connected.

        `timeout` is a timedelta, or seconds (deprecated in prisma-client-py, still accepted)."""
        await self._connect(timeout)

    async def disconnect(self, timeout: timedelta | float | None = None) -> None:  # noqa: ASYNC109
        """Close the pools, waiting up to `timeout` (10 s) for connections in use; whatever is
        still running after that (a forgotten transaction) is cut off."""
        await self._disconnect(timeout)

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.disconnect()

    # -- transactions
    def tx(
        self,
        *,
        max_wait: timedelta | int = 2000,
        timeout: timedelta | int = 5000,
        isolation_level: IsolationLevel | None = None,
    ) -> TransactionManager[Self]:
        """Integers are milliseconds, as in prisma-client-py. Inside a transaction, `tx()` opens
        a savepoint on the same connection instead, and warns as prisma-client-py does."""
        self._warn_if_nested()
        return TransactionManager(
            self, max_wait=max_wait, timeout=timeout, isolation_level=isolation_level
        )

    # -- raw SQL (positional parameters $1, $2, ...)
    @overload
    async def query_raw(self, query: str, *args: Any) -> list[dict[str, Any]]: ...
    @overload
    async def query_raw(
        self, query: str, *args: Any, model: type[RawModelT]
    ) -> list[RawModelT]: ...
    async def query_raw(
        self, query: str, *args: Any, model: type[BaseModel] | None = None
    ) -> list[dict[str, Any]] | list[Any]:
        """Rows as dicts keyed by the SQL's column names, or validated into `model` (columns
        under their database names are matched to the model's fields)."""
        return await self._query_raw(query, args, model)

    @overload
    async def query_first(self, query: str, *args: Any) -> dict[str, Any] | None: ...
    @overload
    async def query_first(
        self, query: str, *args: Any, model: type[RawModelT]
    ) -> RawModelT | None: ...
    async def query_first(
        self, query: str, *args: Any, model: type[BaseModel] | None = None
    ) -> dict[str, Any] | Any | None:
        return await self._query_first(query, args, model)

    async def execute_raw(self, query: str, *args: Any) -> int:
        """The number of rows the statement affected."""
        return await self._execute_raw(query, args)

    # -- observability
    @overload
    async def get_metrics(
        self, format: Literal["json"] = "json", *, global_labels: Mapping[str, str] | None = None
    ) -> Metrics: ...
    @overload
    async def get_metrics(
        self, format: Literal["prometheus"], *, global_labels: Mapping[str, str] | None = None
    ) -> str: ...
    async def get_metrics(
        self,
        format: Literal["json", "prometheus"] = "json",
        *,
        global_labels: Mapping[str, str] | None = None,
    ) -> Metrics | str:
        """Counters and latency histograms (Prometheus-style buckets), and pool usage, as a
        `Metrics` model or (`format="prometheus"`) Prometheus text; `global_labels` are added
        to every entry. Awaited, as on prisma-client-py's async client (`metrics_snapshot`
        is the same without a coroutine)."""
        return self.metrics_snapshot(format, global_labels=global_labels)


class TransactionManager(Generic[ClientT]):
    def __init__(
        self,
        client: ClientT,
        *,
        max_wait: timedelta | int,
        timeout: timedelta | int,
        isolation_level: IsolationLevel | None,
    ) -> None:
        self._client = client
        self._max_wait = ms(max_wait)
        self._timeout = ms(timeout)
        self._isolation_level: IsolationLevel | None = isolation_level
        self._executor: TransactionExecutor | None = None
        self._savepoint: str | None = None

    async def start(self) -> ClientT:
        parent = self._client._tx  # pyright: ignore[reportPrivateUsage]
        if isinstance(parent, TransactionExecutor):
            self._savepoint = await parent.savepoint()
            self._executor = parent
        else:
            self._executor = await self._begin()
        return self._client._copy_bound(self._executor)  # pyright: ignore[reportPrivateUsage]

    async def _begin(self) -> TransactionExecutor:
        engine = self._client._shared.engine  # pyright: ignore[reportPrivateUsage]
        if engine is None or not engine.is_open:
            raise errors.ClientNotConnectedError()
        try:
            return await TransactionExecutor.begin(
                engine,
                max_wait=self._max_wait,
                expires_in=self._timeout,
                isolation_level=self._isolation_level,
            )
        except errors.PoolTimeoutError as exc:
            raise errors.TransactionError(
                f"Could not start a transaction within max_wait={self._max_wait * 1000:g} ms: "
                "every pooled connection is busy. Raise `max_wait` or `connection_limit`."
            ) from exc

    def _started(self) -> TransactionExecutor:
        if self._executor is None:
            raise errors.TransactionNotStartedError(
                "The transaction was never started: use `async with db.tx() as tx:` "
                "or `await manager.start()` first."
            )
        return self._executor

    async def commit(self) -> None:
        executor = self._started()
        if self._savepoint is not None:
            await executor.release_savepoint(self._savepoint)
        else:
            await executor.commit()

    async def rollback(self) -> None:
        executor = self._started()
        if self._savepoint is not None:
            await executor.rollback_to_savepoint(self._savepoint)
        else:
            await executor.rollback()

    async def __aenter__(self) -> ClientT:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            await self.commit()
        else:
            await self.rollback()
