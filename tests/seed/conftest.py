"""Fixtures for the seed tests: fresh schemas made by `db push`, seeded at the `tiny` scale."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orm.push.cli import load_datamodel
from orm.push.runner import PushOptions, push
from orm.push.target import parse_target
from seed import SeedReport, seed_database
from seed.pg import Connection, connect
from tests.conftest import TEST_DATABASE_URL, with_query

ROOT = Path(__file__).resolve().parents[2]
# A fixed end of history, so runs on different days (or hours) produce the same rows.
ANCHOR = datetime(2026, 6, 15, 12, tzinfo=UTC)

MakeSchema = Callable[[], Awaitable[str]]


@pytest.fixture(scope="session")
async def make_schema() -> AsyncIterator[MakeSchema]:
    """Creates pushed schemas (tables, indexes, sql/ files) on demand; drops them all at the end."""
    created: list[str] = []
    admin = await connect(TEST_DATABASE_URL)
    datamodel = load_datamodel(ROOT / "schema.prisma", "prisma")

    async def make() -> str:
        name = f"t_seed_{uuid.uuid4().hex[:10]}"
        await admin.execute(f'CREATE SCHEMA "{name}"')
        created.append(name)
        url = with_query(TEST_DATABASE_URL, schema=name)
        options = PushOptions(sql_dir=ROOT / "sql", source="prisma._schema")
        await push(datamodel, parse_target(url), options, out=lambda _line: None)
        return url

    try:
        yield make
    finally:
        for name in created:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        await admin.close()


@pytest.fixture(scope="session")
async def seeded(make_schema: MakeSchema) -> tuple[str, SeedReport, set[str]]:
    """One schema seeded once at the tiny scale, shared by the read-only tests:
    (url, report, the index names `db push` created before the seed ran)."""
    url = await make_schema()
    conn = await connect(url)
    try:
        before = await index_names(conn)
    finally:
        await conn.close()
    report = await seed_database(url, scale="tiny", anchor=ANCHOR)
    return url, report, before


@pytest.fixture
async def db(seeded: tuple[str, SeedReport, set[str]]) -> AsyncIterator[Connection]:
    conn = await connect(seeded[0])
    try:
        yield conn
    finally:
        await conn.close()


async def index_names(conn: Connection) -> set[str]:
    rows = await conn.fetch("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    return {str(row[0]) for row in rows}
