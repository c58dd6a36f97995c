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

import warnings
from collections.abc import Mapping, Sequence
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, cast, overload

from orm.runtime import errors
from orm.runtime.actions import ModelActions
from orm.runtime.batch import BatchBase
from orm.runtime.engine import BaseExecutor, Engine, Observer, TransactionExecutor
from orm.runtime.engine.observe import QueryEvent, QueryListener
from orm.runtime.engine.translate import SchemaNames
from orm.runtime.metrics import Metrics, to_prometheus, with_labels
from orm.runtime.models import BaseModel
from orm.runtime.raw import RawRows, model_row, raw_row
from orm.runtime.registry import get_client, register
from orm.runtime.types import IsolationLevel, JsonValue
from orm.runtime.url import Overrides, resolve_settings, seconds

if TYPE_CHECKING:
    from orm.runtime.executor import Executor
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "BaseClient",
    "BatchBase",
    "QueryEvent",
    "QueryListener",
    "TransactionManager",
    "get_client",
    "register",
]

ClientT = TypeVar("ClientT", bound="BaseClient")
RawModelT = TypeVar("RawModelT", bound=BaseModel)

DISCONNECT_WAIT = 10.0
NESTED_TRANSACTION_WARNING = (
    "The current client is already in a transaction. This can lead to surprising behaviour."
)


def _ms(value: timedelta | int) -> float:
    """prisma-client-py's transaction durations: a timedelta, or an int of milliseconds."""
    return value.total_seconds() if isinstance(value, timedelta) else value / 1000


class _Shared:
    """State a client shares with every copy `tx()` makes of it."""

    __slots__ = (
        "datasource",
        "engine",
        "names",
        "observer",
        "overrides",
        "raw_rows",
        "replica_urls",
    )

    def __init__(
        self,
        datasource: Mapping[str, str] | None,
        overrides: Overrides,
        replica_urls: Sequence[str] | None,
        observer: Observer,
        names: SchemaNames,
        raw_rows: RawRows,
    ) -> None:
        self.raw_rows: RawRows = raw_rows
        self.datasource = datasource
        self.overrides = overrides
        self.replica_urls = replica_urls
        self.observer = observer
        self.names = names
        self.engine: Engine | None = None


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
        full_sql_ms: float | None = None,
        replica_urls: Sequence[str] | None = None,
        use_dotenv: bool = True,
        http: Mapping[str, object] | None = None,
        raw_rows: RawRows = "json",
    ) -> None:
        """Settings come from `datasource={"url": ...}` or `DATABASE_URL`; the URL query
        (`connection_limit`, `pool_timeout`, `connect_timeout`, `statement_timeout`, `schema`,
        `pgbouncer`, `application_name`) can set them too, and explicit arguments win over both.
        Durations given here are seconds (or timedeltas). The URL is read by `connect()`, so a
        client can be built at import time, before the environment is loaded.

        `slow_query_ms` (200) logs slower statements at WARNING; `full_sql_ms` (1000) logs the
        whole SQL at ERROR. `replica_urls` (or `DATABASE_REPLICA_URLS`, comma separated) adds
        read replicas: SELECTs outside transactions go to them round-robin.

        `use_dotenv` and `http` are accepted for prisma-client-py compatibility and ignored:
        there is no query-engine process to talk HTTP to, and settings come from the process
        environment as it is at `connect()` (load a `.env` file into it yourself if you use one).

        `raw_rows="json"` (default) gives `query_raw` / `query_first` dict rows prisma-client-py's
        JSON values (ISO strings, floats, Base64 text); `"native"` keeps datetime and Decimal."""
        del use_dotenv, http
        observer = Observer(
            slow_query_ms=200.0 if slow_query_ms is None else slow_query_ms,
            full_sql_ms=1000.0 if full_sql_ms is None else full_sql_ms,
            log_queries=log_queries,
        )
        if on_query is not None:
            observer.listeners.append(on_query)
        overrides = Overrides(
            connection_limit=connection_limit,
            pool_timeout=pool_timeout,
            connect_timeout=connect_timeout,
            statement_timeout=statement_timeout,
        )
        names = SchemaNames.from_schema(schema)
        self._schema = schema
        self._shared = _Shared(datasource, overrides, replica_urls, observer, names, raw_rows)
        self._tx: BaseExecutor | None = None
        self._bind()
        if auto_register:
            register(self)

    _schema: SchemaMeta
    """The schema this client was generated from (set by `__init__`)."""

    def _bind(self) -> None:
        """Set one delegate per model; implemented by the generated subclass."""
        raise NotImplementedError

    def _runner(self) -> BaseExecutor:
        if self._tx is not None:
            return self._tx
        engine = self._shared.engine
        if engine is None or not engine.is_open:
            raise errors.ClientNotConnectedError()
        return engine.executor

    def _executor(self) -> Executor:
        """Where `ModelActions` run statements: the pool (reads may go to a replica), or the
        transaction's connection on a client copy made by `tx()`. Raises
        `ClientNotConnectedError` when not connected."""
        return self._runner()

    def _copy_bound(self, executor: BaseExecutor) -> Self:
        """A copy sharing this client's state whose delegates run on `executor`."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy._tx = executor
        copy._bind()
        return copy

    def _delegates(self) -> dict[str, ModelActions[BaseModel]]:
        """Model name → delegate, whatever attribute names the generator chose."""
        found: dict[str, ModelActions[BaseModel]] = {}
        for value in vars(self).values():
            if isinstance(value, ModelActions):
                delegate = cast(ModelActions[BaseModel], value)
                found[delegate._model.__prisma_model__] = delegate  # pyright: ignore[reportPrivateUsage]
        return found

    # -- lifecycle
    async def connect(self, timeout: timedelta | float | None = None) -> None:  # noqa: ASYNC109
        """Open the pools (one connection each, more on demand). A no-op when connected.

        `timeout` is a timedelta, or seconds (deprecated in prisma-client-py, still accepted)."""
        if self.is_connected():
            return
        shared = self._shared
        settings = resolve_settings(
            shared.datasource, shared.overrides, replica_urls=shared.replica_urls
        )
        engine = Engine(settings, shared.observer, shared.names)
        wait = settings.primary.connect_timeout + 1 if timeout is None else seconds(timeout)
        await engine.open(wait)
        shared.engine = engine

    async def disconnect(self, timeout: timedelta | float | None = None) -> None:  # noqa: ASYNC109
        """Close the pools, waiting up to `timeout` (10 s) for connections in use; whatever is
        still running after that (a forgotten transaction) is cut off."""
        engine, self._shared.engine = self._shared.engine, None
        if engine is not None:
            await engine.close(DISCONNECT_WAIT if timeout is None else seconds(timeout))

    def is_connected(self) -> bool:
        engine = self._shared.engine
        return engine is not None and engine.is_open

    def is_registered(self) -> bool:
        """Whether `get_client()` returns this client (prisma-client-py's `is_registered`)."""
        try:
            return get_client() is self
        except errors.ClientNotRegisteredError:
            return False

    def is_transaction(self) -> bool:
        """Whether this is the client `tx()` yields, bound to one transaction."""
        return self._tx is not None

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
        if self._tx is not None:
            warnings.warn(NESTED_TRANSACTION_WARNING, UserWarning, stacklevel=2)
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
        found = await self._runner().fetch_raw(query, args)
        if model is None:
            return [raw_row(row, self._shared.raw_rows) for row in found]
        return [model.model_validate(self._as_fields(model, model_row(row))) for row in found]

    @overload
    async def query_first(self, query: str, *args: Any) -> dict[str, Any] | None: ...
    @overload
    async def query_first(
        self, query: str, *args: Any, model: type[RawModelT]
    ) -> RawModelT | None: ...
    async def query_first(
        self, query: str, *args: Any, model: type[BaseModel] | None = None
    ) -> dict[str, Any] | Any | None:
        rows = await self._runner().fetch_raw(query, args)
        if not rows:
            return None
        if model is None:
            return raw_row(rows[0], self._shared.raw_rows)
        return model.model_validate(self._as_fields(model, model_row(rows[0])))

    async def execute_raw(self, query: str, *args: Any) -> int:
        """The number of rows the statement affected."""
        return await self._runner().execute_raw(query, args)

    def _as_fields(self, model: type[BaseModel], row: dict[str, JsonValue]) -> dict[str, JsonValue]:
        name = model.__prisma_model__
        if not name:
            return row
        field = self._shared.names.field
        fields = {field(name, key): value for key, value in row.items()}
        meta = self._schema.models.get(name)
        for list_field in getattr(meta, "list_fields", ()):
            if list_field in fields and fields[list_field] is None:
                fields[list_field] = []  # a NULL list reads as [], as in model reads
        return fields

    # -- observability
    def add_query_listener(self, listener: QueryListener) -> None:
        self._shared.observer.listeners.append(listener)

    def remove_query_listener(self, listener: QueryListener) -> None:
        self._shared.observer.listeners.remove(listener)

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

    @overload
    def metrics_snapshot(
        self, format: Literal["json"] = "json", *, global_labels: Mapping[str, str] | None = None
    ) -> Metrics: ...
    @overload
    def metrics_snapshot(
        self, format: Literal["prometheus"], *, global_labels: Mapping[str, str] | None = None
    ) -> str: ...
    def metrics_snapshot(
        self,
        format: Literal["json", "prometheus"] = "json",
        *,
        global_labels: Mapping[str, str] | None = None,
    ) -> Metrics | str:
        engine = self._shared.engine
        snapshot = self._shared.observer.metrics.snapshot(
            engine.pools.gauges if engine is not None else dict
        )
        metrics = with_labels(Metrics.model_validate(snapshot), global_labels)
        return to_prometheus(metrics) if format == "prometheus" else metrics


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
        self._max_wait = _ms(max_wait)
        self._timeout = _ms(timeout)
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
