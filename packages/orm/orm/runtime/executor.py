"""The seam between the query compiler (`orm.runtime.query`) and the engine (`orm.runtime.engine`).

CONTRACT: the compiler builds SQLAlchemy Core statements and runs them only through an
`Executor`; the engine provides one bound to the pool (reads may go to a replica), to a
transaction's connection, or to a batch. Compiling the statement to SQL text, counting it,
timing it, reporting it to query listeners and translating database errors into
`orm.runtime.errors` all happen inside the executor, so every statement is observed once.

What the engine's executors (`orm.runtime.engine`) do with a statement: compile it once per
shape (SQLAlchemy's cache key; IN lists of any length share it), apply SQLAlchemy's bind
processors and client-side column defaults, and return rows as dicts of asyncpg's own values
(no SQLAlchemy result processors: Decimal, datetime, dict/list for JSON, str for enums).
A `Shaped` statement skips even the building and the cache key once its shape has been seen.
`fetch_rows` returns the same rows as asyncpg handed them over (`Rows`), for the readers that
build model instances straight from the values (see `query.builders`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.sql.expression import Executable

__all__ = ["Executor", "Row", "Rows", "Shaped", "Statement", "Values"]

Row = Mapping[str, Any]


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3x, once per statement
class Shaped:
    """A statement known by the shape of its arguments, so a repeat skips building it.

    `key` names everything that decides the SQL text (model, action, which fields, operators,
    order...), never a value; `params` are the values, converted, in the order the SQL binds
    them; `build()` makes the statement when the executor has no SQL for `key` yet. The engine
    checks the built statement binds exactly `params` before it reuses its SQL for `key`."""

    key: Hashable
    params: tuple[object, ...]
    build: Callable[[], Executable]


Statement = Executable | Shaped


class Values(Protocol):
    """One row's values by position: an asyncpg record or a tuple."""

    def __getitem__(self, index: int, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3x, once per statement
class Rows:
    """A result as the driver returned it: the column labels, and each row's values in that
    order (asyncpg's records, or tuples). No per-row dict: readers index the values."""

    columns: tuple[str, ...]
    values: Sequence[Values]

    @classmethod
    def of(cls, rows: Sequence[Row]) -> Rows:
        """`rows` (dicts with the same keys) as `Rows`."""
        if not rows:
            return cls((), ())
        columns = tuple(rows[0])
        return cls(columns, [tuple(row[c] for c in columns) for row in rows])

    def __len__(self) -> int:
        return len(self.values)


class Executor(Protocol):
    async def fetch(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> Sequence[Row]:
        """Rows keyed by the statement's column labels."""
        ...

    async def fetch_rows(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> Rows:
        """The rows `fetch` returns, as labels and values (no dict per row)."""
        ...

    async def execute(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> int:
        """Affected row count."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Executor]:
        """An executor inside one transaction (a savepoint when already inside one).

        Multi-statement writes (nested writes, upsert, create with relations) run in it so a
        failure leaves no partial rows."""
        ...

    @property
    def in_transaction(self) -> bool: ...
