"""`client`: the conformance schema's generated client on a fresh PostgreSQL schema, as
prisma-client-py's database tests get theirs (tables made from the schema, empty, connected)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.orm.conformance.generated import sync_client as sync
from tests.orm.conformance.generated.client import SCHEMA, Prisma
from tests.orm.query_support import connect_raw, ddl_statements

__all__ = ["client", "sync_client"]


async def _create_tables(pg_schema: str) -> None:
    conn = await connect_raw(TEST_DATABASE_URL)
    try:
        for statement in ddl_statements(SCHEMA.sqlalchemy_metadata(pg_schema)):
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture
async def sync_client(pg_schema: str, schema_url: str) -> AsyncIterator[sync.Prisma]:
    """The sync client (`interface = "sync"`) on the same kind of fresh schema."""
    await _create_tables(pg_schema)
    db = sync.Prisma(datasource={"url": schema_url}, connection_limit=3)
    db.connect()
    try:
        yield db
    finally:
        db.disconnect()


@pytest.fixture
async def client(pg_schema: str, schema_url: str) -> AsyncIterator[Prisma]:
    await _create_tables(pg_schema)
    db = Prisma(datasource={"url": schema_url}, connection_limit=3)
    await db.connect()
    try:
        yield db
    finally:
        await db.disconnect()
