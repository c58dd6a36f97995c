"""Compiling statements to PostgreSQL text for the compiler's unit tests (no I/O)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import cast

from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from orm.runtime.executor import Executor, Row, Rows, Shaped, Statement
from orm.runtime.query.structure import ModelMeta
from orm.runtime.types import JsonValue
from tests.orm.generated.client import SCHEMA

__all__ = ["SCHEMA", "RecordingExecutor", "compiled", "model", "sql"]

# The plain PostgreSQL dialect, without the `::TYPE` casts some drivers add to parameters.
_DIALECT = PGDialect_psycopg2()


def model(name: str) -> ModelMeta:
    return SCHEMA.models[name]


def compiled(stmt: ClauseElement) -> tuple[str, dict[str, JsonValue]]:
    result = cast(SQLCompiler, stmt.compile(dialect=_DIALECT))
    return " ".join(str(result).split()), dict(result.params)


def sql(stmt: ClauseElement) -> str:
    """The statement as one line of SQL with `%(name)s` placeholders."""
    return compiled(stmt)[0]


def _built(stmt: Statement) -> ClauseElement:
    return cast(ClauseElement, stmt.build() if isinstance(stmt, Shaped) else stmt)


class RecordingExecutor:
    """Records statements and answers each `fetch` with the next canned result."""

    def __init__(self, results: Sequence[Sequence[Row]] = ()) -> None:
        self.statements: list[str] = []
        self._results = list(results)

    async def fetch(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> Sequence[Row]:
        self.statements.append(sql(_built(stmt)))
        return self._results.pop(0) if self._results else []

    async def fetch_rows(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> Rows:
        return Rows.of(await self.fetch(stmt, model=model, action=action))

    async def execute(
        self, stmt: Statement, *, model: str | None = None, action: str | None = None
    ) -> int:
        self.statements.append(sql(_built(stmt)))
        return 1

    def transaction(self) -> AbstractAsyncContextManager[Executor]:
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncGenerator[Executor]:
        self.statements.append("BEGIN")
        yield self
        self.statements.append("COMMIT")

    @property
    def in_transaction(self) -> bool:
        return False
