"""`BaseClient`: connection, transactions, batches, raw queries, metrics.

CONTRACT with the generator: the generated `class Prisma(BaseClient)`
- calls `super().__init__(schema=<its SchemaMeta>, **options)` in its `__init__`;
- implements `_bind(self) -> None`, which sets one delegate per model
  (`self.user = actions.UserActions(self, models.User)`); `BaseClient.__init__` calls it, and so
  does every copy made for a transaction, so `tx.user` runs on the transaction's connection;
- implements `batch_(self) -> Batch` returning its generated `Batch(BatchBase)` subclass, whose
  `__init__(self, client)` calls `super().__init__(client)` and sets one `BatchActions` per model.
`tx()` returns a `TransactionManager[Self]` whose `__aenter__` yields a copy of the client bound
to one connection inside BEGIN ... COMMIT.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

from orm.runtime.models import BaseModel
from orm.runtime.types import IsolationLevel

if TYPE_CHECKING:
    from orm.runtime.executor import Executor
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "BaseClient",
    "BatchBase",
    "QueryEvent",
    "TransactionManager",
    "get_client",
    "register",
]

ClientT = TypeVar("ClientT", bound="BaseClient")
RawModelT = TypeVar("RawModelT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class QueryEvent:
    """One executed SQL statement, as seen by query listeners (tests count these)."""

    sql: str
    param_types: tuple[str, ...]
    duration_ms: float
    model: str | None
    action: str | None
    rows: int | None
    error: str | None = None


QueryListener = Callable[[QueryEvent], None]


class BaseClient:
    def __init__(
        self,
        *,
        schema: SchemaMeta,
        datasource: Mapping[str, str] | None = None,
        auto_register: bool = False,
        log_queries: bool = False,
        connect_timeout: timedelta | float | None = None,
        connection_limit: int | None = None,
        pool_timeout: timedelta | float | None = None,
        statement_timeout: timedelta | float | None = None,
        slow_query_ms: float | None = None,
        on_query: QueryListener | None = None,
    ) -> None:
        """Settings come from `datasource={"url": ...}` or `DATABASE_URL`; the URL query
        (`connection_limit`, `pool_timeout`, `connect_timeout`, `statement_timeout`, `schema`,
        `pgbouncer`) can set them too, and explicit arguments win over both."""
        raise NotImplementedError

    _schema: SchemaMeta
    """The schema this client was generated from (set by `__init__`)."""

    def _bind(self) -> None:
        """Set one delegate per model; implemented by the generated subclass."""
        raise NotImplementedError

    def _executor(self) -> Executor:
        """Where `ModelActions` run statements: the pool (reads may go to a replica), or the
        transaction's connection on a client copy made by `tx()`. Raises
        `ClientNotConnectedError` when not connected."""
        raise NotImplementedError

    # -- lifecycle
    async def connect(self, timeout: timedelta | None = None) -> None:
        raise NotImplementedError

    async def disconnect(self, timeout: timedelta | None = None) -> None:
        raise NotImplementedError

    def is_connected(self) -> bool:
        raise NotImplementedError

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
        """Integers are milliseconds, as in prisma-client-py."""
        raise NotImplementedError

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
        raise NotImplementedError

    @overload
    async def query_first(self, query: str, *args: Any) -> dict[str, Any] | None: ...
    @overload
    async def query_first(
        self, query: str, *args: Any, model: type[RawModelT]
    ) -> RawModelT | None: ...
    async def query_first(
        self, query: str, *args: Any, model: type[BaseModel] | None = None
    ) -> dict[str, Any] | Any | None:
        raise NotImplementedError

    async def execute_raw(self, query: str, *args: Any) -> int:
        raise NotImplementedError

    # -- observability
    def add_query_listener(self, listener: QueryListener) -> None:
        raise NotImplementedError

    def remove_query_listener(self, listener: QueryListener) -> None:
        raise NotImplementedError

    def get_metrics(self) -> dict[str, Any]:
        """Counters and latency histograms (Prometheus-style buckets), and pool usage."""
        raise NotImplementedError


class TransactionManager(Generic[ClientT]):
    def __init__(
        self,
        client: ClientT,
        *,
        max_wait: timedelta | int,
        timeout: timedelta | int,
        isolation_level: IsolationLevel | None,
    ) -> None:
        raise NotImplementedError

    async def start(self) -> ClientT:
        raise NotImplementedError

    async def commit(self) -> None:
        raise NotImplementedError

    async def rollback(self) -> None:
        raise NotImplementedError

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


class BatchBase:
    """`async with db.batch_() as batcher:` queues writes and runs them in one transaction on exit."""

    def __init__(self, client: BaseClient) -> None:
        raise NotImplementedError

    async def commit(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            await self.commit()


_registered: BaseClient | None = None


def register(client: BaseClient | Callable[[], BaseClient]) -> None:
    raise NotImplementedError


def get_client() -> BaseClient:
    raise NotImplementedError
