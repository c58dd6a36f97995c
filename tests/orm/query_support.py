"""Fixtures for the query compiler and model-action tests: the generated test client on a fresh
schema whose tables come from `SCHEMA.sqlalchemy_metadata` (what `db push` would create)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, cast

import asyncpg
import pytest
from sqlalchemy import MetaData, create_mock_engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.ddl import ExecutableDDLElement

from orm.runtime.client import QueryEvent
from tests.conftest import TEST_DATABASE_URL
from tests.orm.generated.client import SCHEMA, Prisma

__all__ = [
    "QueryLog",
    "connect_raw",
    "create_schema_tables",
    "db",
    "ddl_statements",
    "query_log",
]


def ddl_statements(metadata: MetaData) -> list[str]:
    """The CREATE statements `metadata.create_all` would run, as PostgreSQL text."""
    dialect = postgresql.dialect()
    statements: list[str] = []

    def collect(sql: ExecutableDDLElement, *_: object, **__: object) -> None:
        statements.append(str(sql.compile(dialect=dialect)))

    engine = create_mock_engine("postgresql://", collect)  # pyright: ignore[reportArgumentType]
    metadata.create_all(engine, checkfirst=False)  # pyright: ignore[reportArgumentType]
    return statements


class _Connection(Protocol):
    async def execute(self, query: str) -> str: ...

    async def close(self) -> None: ...


connect_raw = cast(
    Callable[[str], Awaitable[_Connection]],
    asyncpg.connect,  # pyright: ignore[reportUnknownMemberType]
)


async def create_schema_tables(schema: str) -> None:
    conn = await connect_raw(TEST_DATABASE_URL)
    try:
        for statement in ddl_statements(SCHEMA.sqlalchemy_metadata(schema)):
            await conn.execute(statement)
    finally:
        await conn.close()


class QueryLog:
    def __init__(self) -> None:
        self.events: list[QueryEvent] = []

    def __call__(self, event: QueryEvent) -> None:
        self.events.append(event)

    def clear(self) -> None:
        self.events.clear()

    @property
    def count(self) -> int:
        return len(self.events)


@pytest.fixture
async def db(pg_schema: str, schema_url: str) -> AsyncIterator[Prisma]:
    await create_schema_tables(pg_schema)
    client = Prisma(datasource={"url": schema_url}, connection_limit=2)
    await client.connect()
    try:
        yield client
    finally:
        await client.disconnect()


@pytest.fixture
def query_log(db: Prisma) -> QueryLog:
    log = QueryLog()
    db.add_query_listener(log)
    return log
