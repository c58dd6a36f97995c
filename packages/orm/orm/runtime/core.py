"""`ClientCore`: what the async and the sync client share (settings, engine, delegates, raw
rows, metrics), with the I/O as coroutines. `BaseClient` (client.py) awaits them on the caller's
event loop; `SyncClient` (sync.py) runs them on a private event-loop thread. Queries compile
the same way for both: only the edge differs.

CONTRACT with the generator: the generated `class Prisma(BaseClient)` (or `SyncClient`)
- calls `super().__init__(schema=<its SchemaMeta>, **options)` in its `__init__`;
- implements `_bind(self) -> None`, which sets one delegate per model
  (`self.user = actions.UserActions(self, models.User)`); `__init__` calls it, and so does every
  copy made for a transaction, so `tx.user` runs on the transaction's connection;
- implements `batch_(self) -> Batch` returning its generated `Batch` subclass.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, cast, overload

from orm.runtime import errors
from orm.runtime.actions import ModelActions
from orm.runtime.engine.names import SchemaNames
from orm.runtime.engine.observe import Observer, QueryListener
from orm.runtime.extensions import Extensions, QueryHook, ResultFields
from orm.runtime.models import BaseModel
from orm.runtime.modules import defer
from orm.runtime.query.omit import client_omit
from orm.runtime.raw import RawRows, model_row, raw_row
from orm.runtime.registry import get_client, register
from orm.runtime.types import JsonValue
from orm.runtime.url import Overrides, resolve_settings, seconds

if TYPE_CHECKING:
    from orm.runtime.engine.core import Engine
    from orm.runtime.engine.executors import BaseExecutor
    from orm.runtime.engine.replicas import ReplicaRouter
    from orm.runtime.executor import Executor
    from orm.runtime.meta import SchemaMeta
    from orm.runtime.metrics import Metrics, to_prometheus, with_labels
else:  # the engine (and asyncpg) load with connect(), the metrics models when asked for
    defer(
        globals(),
        {
            "Engine": "orm.runtime.engine.core:Engine",
            "Metrics": "orm.runtime.metrics:Metrics",
            "to_prometheus": "orm.runtime.metrics:to_prometheus",
            "with_labels": "orm.runtime.metrics:with_labels",
        },
    )

__all__ = ["DISCONNECT_WAIT", "NESTED_TRANSACTION_WARNING", "ClientCore", "ms"]

DISCONNECT_WAIT = 10.0
NESTED_TRANSACTION_WARNING = (
    "The current client is already in a transaction. This can lead to surprising behaviour."
)


def ms(value: timedelta | int) -> float:
    """prisma-client-py's transaction durations: a timedelta, or an int of milliseconds."""
    return value.total_seconds() if isinstance(value, timedelta) else value / 1000


class _Shared:
    """State a client shares with every copy `tx()` makes of it."""

    __slots__ = (
        "datasource",
        "engine",
        "names",
        "observer",
        "omit",
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
        self.omit: dict[str, dict[str, bool]] = {}
        self.datasource = datasource
        self.overrides = overrides
        self.replica_urls = replica_urls
        self.observer = observer
        self.names = names
        self.engine: Engine | None = None


class ClientCore:
    _active_provider: ClassVar[str] = "postgresql"
    """The datasource provider, as prisma-client-py's client names it (PostgreSQL only here)."""

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
        omit: Mapping[str, Mapping[str, bool]] | None = None,
    ) -> None:
        """Settings come from `datasource={"url": ...}`, else the variable the schema's datasource
        `url = env("NAME")` names (or its literal URL), else `DATABASE_URL`; the URL query
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

        `omit={"User": {"password": True}}` leaves fields out of every result (see
        `orm.runtime.query.omit`). `raw_rows="json"` (default) gives `query_raw` /
        `query_first` dict rows prisma-client-py's JSON values (ISO strings, floats, Base64
        text); `"native"` keeps datetime and Decimal."""
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
        self._shared.omit = client_omit(schema, omit)
        self._tx: BaseExecutor | None = None
        self._extensions = Extensions()
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

    def extend(self, *, query: QueryHook | None = None, result: ResultFields | None = None) -> Self:
        """A client running `query` around every model operation and adding `result`'s computed
        fields to records, as Prisma's `$extends` (see `orm.runtime.extensions`). It shares this
        client's connection; this client is unchanged."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy._extensions = self._extensions.extended(query, result)
        copy._bind()
        return copy

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

    # -- lifecycle (coroutines; the public methods are in BaseClient and SyncClient)
    async def _connect(self, timeout: timedelta | float | None) -> None:  # noqa: ASYNC109
        if self.is_connected():
            return
        shared = self._shared
        settings = resolve_settings(
            shared.datasource,
            shared.overrides,
            replica_urls=shared.replica_urls,
            schema_url=self._schema.datasource and self._schema.datasource.url,
        )
        engine = Engine(settings, shared.observer, shared.names)
        wait = settings.primary.connect_timeout + 1 if timeout is None else seconds(timeout)
        await engine.open(wait)
        shared.engine = engine

    async def _disconnect(self, timeout: timedelta | float | None) -> None:  # noqa: ASYNC109
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

    def _warn_if_nested(self) -> None:
        """prisma-client-py warns when `tx()` is called on a transaction's client (we open a
        savepoint there); the warning points at the caller's `tx()` line."""
        if self._tx is not None:
            warnings.warn(NESTED_TRANSACTION_WARNING, UserWarning, stacklevel=3)

    # -- raw SQL (positional parameters $1, $2, ...)
    async def _query_raw(
        self, query: str, args: Sequence[Any], model: type[BaseModel] | None
    ) -> list[Any]:
        """Rows as dicts keyed by the SQL's column names, or validated into `model` (columns
        under their database names are matched to the model's fields)."""
        found = await self._runner().fetch_raw(query, args)
        if model is None:
            return [raw_row(row, self._shared.raw_rows) for row in found]
        return [model.model_validate(self._as_fields(model, model_row(row))) for row in found]

    async def _query_first(
        self, query: str, args: Sequence[Any], model: type[BaseModel] | None
    ) -> Any | None:
        rows = await self._runner().fetch_raw(query, args)
        if not rows:
            return None
        if model is None:
            return raw_row(rows[0], self._shared.raw_rows)
        return model.model_validate(self._as_fields(model, model_row(rows[0])))

    async def _execute_raw(self, query: str, args: Sequence[Any]) -> int:
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
    def read_routing(self) -> ReplicaRouter | None:
        """Replica routing: `.snapshot()` (each node's health, lag and share of reads),
        `.policy` (lag limits, see `orm.runtime.routing`); None while disconnected."""
        engine = self._shared.engine
        return engine.pools.router if engine is not None else None

    def add_query_listener(self, listener: QueryListener) -> None:
        self._shared.observer.listeners.append(listener)

    def remove_query_listener(self, listener: QueryListener) -> None:
        self._shared.observer.listeners.remove(listener)

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
