"""The statement path every `Executor` implementation shares.

`BaseExecutor` compiles, runs, observes and translates; subclasses only say which connection a
statement runs on (`_call`): `PoolExecutor` (core.py) checks one out per statement (a replica
for plain SELECTs when replicas are configured), `TransactionExecutor` (transaction.py) holds one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from time import perf_counter
from typing import TYPE_CHECKING, TypeVar

import asyncpg

from orm.runtime import errors
from orm.runtime.engine.translate import lost_connection, translate
from orm.runtime.executor import Rows, Statement
from orm.runtime.routing import Route, current_route
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.engine.core import Engine
    from orm.runtime.engine.pool import Connection

__all__ = ["BaseExecutor", "Call", "RawRow"]

T = TypeVar("T")
RawRow = dict[str, JsonValue]
Call = Callable[["Connection"], Awaitable[T]]


def _affected(status: str) -> int:
    """`UPDATE 3`, `INSERT 0 5`, `DELETE 0` → the count (0 when the status has none)."""
    last = status.rpartition(" ")[2]
    return int(last) if last.isdigit() else 0


def _dicts(rows: Rows) -> list[RawRow]:
    columns = rows.columns
    return [dict(zip(columns, values, strict=True)) for values in rows.values]


class BaseExecutor(ABC):
    __slots__ = ("_engine",)

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    @abstractmethod
    def in_transaction(self) -> bool: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[BaseExecutor]: ...

    @abstractmethod
    async def _call(self, is_read: bool, call: Call[T]) -> T:
        """Run `call` on a connection suited to the statement."""

    # -- Executor protocol
    async def fetch(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> list[RawRow]:
        return _dicts(await self.fetch_rows(stmt, model=model, action=action))

    async def fetch_rows(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> Rows:
        compiled = self._engine.compiler.compile(stmt)
        return await self._fetch(compiled.sql, compiled.params, compiled.is_read, model, action)

    async def execute(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> int:
        compiled = self._engine.compiler.compile(stmt)
        return await self._execute(compiled.sql, compiled.params, model, action)

    # -- raw SQL: on the primary (a "SELECT" may call a function that writes), unless the caller
    # vouched for it with `read_from_replica()`
    async def fetch_raw(self, sql: str, args: Sequence[object]) -> list[RawRow]:
        route = current_route()
        is_read = route is not None and route.target is Route.REPLICA
        return _dicts(await self._fetch(sql, args, is_read, None, "query_raw", raw=True))

    async def execute_raw(self, sql: str, args: Sequence[object]) -> int:
        return await self._execute(sql, args, None, "execute_raw", raw=True)

    async def _fetch(
        self,
        sql: str,
        params: Sequence[object],
        is_read: bool,
        model: str | None,
        action: str | None,
        *,
        raw: bool = False,
    ) -> Rows:
        started = perf_counter()
        try:
            records = await self._call(is_read, lambda conn: conn.fetch(sql, *params))
        except Exception as exc:
            raise self._failed(exc, sql, params, started, model, action, raw) from exc
        self._engine.observer.done(
            sql, params, started, model=model, action=action, rows=len(records)
        )
        return Rows(tuple(records[0].keys()) if records else (), records)

    async def _execute(
        self,
        sql: str,
        params: Sequence[object],
        model: str | None,
        action: str | None,
        *,
        raw: bool = False,
    ) -> int:
        started = perf_counter()
        try:
            status = await self._call(False, lambda conn: conn.execute(sql, *params))
        except Exception as exc:
            raise self._failed(exc, sql, params, started, model, action, raw) from exc
        count = _affected(status)
        self._engine.observer.done(sql, params, started, model=model, action=action, rows=count)
        return count

    def _failed(
        self,
        exc: Exception,
        sql: str,
        params: Sequence[object],
        started: float,
        model: str | None,
        action: str | None,
        raw: bool,
    ) -> Exception:
        """The exception to raise for `exc`, after reporting the failed statement."""
        error: Exception = exc
        if isinstance(exc, asyncpg.PostgresError):
            error = translate(exc, model, self._engine.names)
        elif isinstance(exc, ConnectionError):  # the socket, below asyncpg's own errors
            error = lost_connection(str(exc) or type(exc).__name__)
        elif raw and _bad_arguments(exc):
            error = errors.DataError(str(exc).split("\n")[0])
        if raw and isinstance(error, errors.DataError):
            error = errors.RawQueryError(
                f"Raw query failed: {error}", sqlstate=error.sqlstate, model=error.model
            )
        self._engine.observer.done(
            sql, params, started, model=model, action=action, rows=None, error=error
        )
        return error


def _bad_arguments(exc: Exception) -> bool:
    """asyncpg refused a raw query's arguments before sending it: too many or too few for its
    placeholders, or a value its codec cannot encode (its client-side DataError, a ValueError).
    The connection is unharmed; prisma-client-py raises a RawQueryError / DataError here."""
    if not isinstance(exc, asyncpg.InterfaceError):
        return False
    return isinstance(exc, ValueError) or str(exc).startswith("the server expects")
