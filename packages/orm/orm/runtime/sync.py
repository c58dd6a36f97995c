"""The sync client (`generator client { interface = "sync" }`): the async core, run on a private
event-loop thread.

Why this design: queries compile exactly as for the async client (one compiler, one set of
tests), and the same asyncpg pools, codecs, error translation, statement cache and metrics
serve both. Only the edge differs: each public call hands its coroutine to one background
thread that runs an event loop for the whole process (`run`), and blocks until it is done.
The hop costs tens of microseconds per call (`bench/orm.py --sync` measures it); a second
driver (psycopg 3) would have meant a second executor, codec set and error mapping to keep
identical. The loop thread is a daemon started on first use, so scripts exit normally;
`disconnect()` closes the pools on it. The client can be used from several threads at once
(calls are serialised per connection by the pools, as in the async client).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

from orm.runtime.actions import ModelActions
from orm.runtime.batch import BatchCore
from orm.runtime.client import TransactionManager
from orm.runtime.core import ClientCore
from orm.runtime.models import BaseModel
from orm.runtime.types import IsolationLevel

if TYPE_CHECKING:
    from orm.runtime.metrics import Metrics

__all__ = ["SyncBatchBase", "SyncClient", "SyncModelActions", "SyncTransactionManager", "run"]

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=BaseModel)
ClientT = TypeVar("ClientT", bound="SyncClient")
RawModelT = TypeVar("RawModelT", bound=BaseModel)

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def _loop_thread() -> asyncio.AbstractEventLoop:
    global _loop, _thread
    with _lock:
        if _loop is None or _thread is None or not _thread.is_alive():
            loop = asyncio.new_event_loop()
            _thread = threading.Thread(target=loop.run_forever, name="orm-sync", daemon=True)
            _thread.start()
            _loop = loop
        return _loop


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` on the private loop and wait for its result (its exception is re-raised)."""
    loop = _loop_thread()
    if threading.current_thread() is _thread:
        coro.close()
        raise RuntimeError("The sync client can't be called from its own event-loop thread.")
    return asyncio.run_coroutine_threadsafe(coro, loop).result()


class SyncModelActions(ModelActions[ModelT]):
    """The generated sync `<Model>Actions` call `self._run(self._find_many(...))`."""

    __slots__ = ()

    @staticmethod
    def _run(coro: Coroutine[Any, Any, T]) -> T:
        return run(coro)


class SyncClient(ClientCore):
    """prisma-client-py's sync client API: the async client's methods, without `await`."""

    # -- lifecycle
    def connect(self, timeout: timedelta | float | None = None) -> None:
        """Open the pools (on the private loop). A no-op when connected."""
        run(self._connect(timeout))

    def disconnect(self, timeout: timedelta | float | None = None) -> None:
        run(self._disconnect(timeout))

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.disconnect()

    # -- transactions
    def tx(
        self,
        *,
        max_wait: timedelta | int = 2000,
        timeout: timedelta | int = 5000,
        isolation_level: IsolationLevel | None = None,
    ) -> SyncTransactionManager[Self]:
        """`with db.tx() as tx:`; integers are milliseconds, as in prisma-client-py."""
        self._warn_if_nested()
        return SyncTransactionManager(
            TransactionManager(
                self, max_wait=max_wait, timeout=timeout, isolation_level=isolation_level
            )
        )

    # -- raw SQL
    @overload
    def query_raw(self, query: str, *args: Any) -> list[dict[str, Any]]: ...
    @overload
    def query_raw(self, query: str, *args: Any, model: type[RawModelT]) -> list[RawModelT]: ...
    def query_raw(
        self, query: str, *args: Any, model: type[BaseModel] | None = None
    ) -> list[dict[str, Any]] | list[Any]:
        return run(self._query_raw(query, args, model))

    @overload
    def query_first(self, query: str, *args: Any) -> dict[str, Any] | None: ...
    @overload
    def query_first(self, query: str, *args: Any, model: type[RawModelT]) -> RawModelT | None: ...
    def query_first(
        self, query: str, *args: Any, model: type[BaseModel] | None = None
    ) -> dict[str, Any] | Any | None:
        return run(self._query_first(query, args, model))

    def execute_raw(self, query: str, *args: Any) -> int:
        return run(self._execute_raw(query, args))

    # -- observability
    @overload
    def get_metrics(
        self, format: Literal["json"] = "json", *, global_labels: Mapping[str, str] | None = None
    ) -> Metrics: ...
    @overload
    def get_metrics(
        self, format: Literal["prometheus"], *, global_labels: Mapping[str, str] | None = None
    ) -> str: ...
    def get_metrics(
        self,
        format: Literal["json", "prometheus"] = "json",
        *,
        global_labels: Mapping[str, str] | None = None,
    ) -> Metrics | str:
        return self.metrics_snapshot(format, global_labels=global_labels)


class SyncTransactionManager(Generic[ClientT]):
    """`with db.tx() as tx:` (or `start()` / `commit()` / `rollback()`), on the private loop."""

    def __init__(self, manager: TransactionManager[ClientT]) -> None:
        self._manager = manager

    def start(self) -> ClientT:
        return run(self._manager.start())

    def commit(self) -> None:
        run(self._manager.commit())

    def rollback(self) -> None:
        run(self._manager.rollback())

    def __enter__(self) -> ClientT:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.commit()
        else:
            self.rollback()


class SyncBatchBase(BatchCore):
    """`with db.batch_() as batcher:` queues writes and runs them in one transaction on exit."""

    def commit(self) -> None:
        run(self._commit())

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.commit()
