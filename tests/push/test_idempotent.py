"""A second push runs no DDL; a dry run changes nothing; concurrent pushes serialise."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.target import Target, lock_key
from tests.push.conftest import ROOT, DatamodelOf
from tests.push.helpers import books, catalog_fingerprint, index_defs, run_push, seed_books

SCHEMAS = [ROOT / "tests" / "orm" / "schema.prisma", ROOT / "schema.prisma"]
TEXTS = {path: path.read_text() for path in SCHEMAS}


@pytest.mark.parametrize("path", SCHEMAS, ids=["orm-test-schema", "domain-schema"])
async def test_second_push_runs_no_ddl(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, path: Path
) -> None:
    datamodel = datamodel_of(TEXTS[path], full=True)
    await run_push(datamodel, target)
    before = await catalog_fingerprint(conn, pg_schema)

    result, output = await run_push(datamodel, target)

    assert result.executed == []
    assert result.in_sync
    assert "already in sync" in output
    assert await catalog_fingerprint(conn, pg_schema) == before


async def test_defaults_written_differently_still_match(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    models = """
    model Thing {
      id    Int      @id @default(autoincrement())
      data  Json     @default("{\\"b\\":1,  \\"a\\":[1,2]}")
      tags  String[] @default(["x", "y"])
      nums  Int[]    @default([])
      neg   Int      @default(-5)
      ratio Decimal  @default(1.50) @db.Decimal(6, 2)
      code  String   @default("it's") @db.Char(4)
      at    DateTime @default("2024-01-02T03:04:05.000Z") @db.Timestamptz(3)
    }
    """
    datamodel = datamodel_of(models)
    await run_push(datamodel, target)
    before = await catalog_fingerprint(conn, pg_schema)

    result, _ = await run_push(datamodel, target)

    assert result.executed == []
    assert await catalog_fingerprint(conn, pg_schema) == before


async def test_dry_run_prints_sql_and_changes_nothing(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(books()), target)
    before = await catalog_fingerprint(conn, pg_schema)
    edited = books("  title ", "  pages     Int?\n  title ")

    result, output = await run_push(datamodel_of(edited), target, dry_run=True)

    assert 'ALTER TABLE "books" ADD COLUMN "pages" INTEGER;' in output
    assert (
        "Locks, taken first, held until the transaction commits: books (ACCESS EXCLUSIVE)" in output
    )
    assert "nothing was executed" in output
    assert result.executed == []
    assert await catalog_fingerprint(conn, pg_schema) == before


async def test_dry_run_of_a_destructive_change_lists_the_loss(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    before = await catalog_fingerprint(conn, pg_schema)

    _, output = await run_push(datamodel_of(books("  body String?\n", "")), target, dry_run=True)

    assert "-- would lose data: drop column notes.body: 1 non-null values" in output
    assert await catalog_fingerprint(conn, pg_schema) == before


async def test_concurrent_pushes_end_with_one_schema(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    datamodel = datamodel_of((ROOT / "tests" / "orm" / "schema.prisma").read_text(), full=True)

    (first, _), (second, _) = await asyncio.gather(
        run_push(datamodel, target), run_push(datamodel, target)
    )

    assert sorted([bool(first.executed), bool(second.executed)]) == [False, True]
    assert len(await index_defs(conn, pg_schema)) == 24
    again, _ = await run_push(datamodel, target)
    assert again.executed == []


WAITERS_SQL = """
SELECT count(*) FROM pg_locks
WHERE locktype = 'advisory' AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = $1
"""


async def test_pushes_wait_for_the_advisory_lock(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    datamodel = datamodel_of(books())
    key = lock_key(target.schema)
    await conn.execute("SELECT pg_advisory_lock($1)", key)
    pushes = [asyncio.create_task(run_push(datamodel, target)) for _ in range(2)]
    for _ in range(1200):  # both pushes queue behind the lock this test holds
        if await conn.fetchval(WAITERS_SQL, key) == 2:
            break
        await asyncio.sleep(0.05)
    assert await conn.fetchval(WAITERS_SQL, key) == 2

    await conn.execute("SELECT pg_advisory_unlock($1)", key)
    outcomes = await asyncio.gather(*pushes)

    assert all("waiting for it to finish" in output for _, output in outcomes)
    assert sorted(bool(result.executed) for result, _ in outcomes) == [False, True]


async def test_switching_between_whole_schemas_converges(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    orm_test, domain = (datamodel_of(TEXTS[path], full=True) for path in SCHEMAS)

    for datamodel in (orm_test, domain, orm_test):
        await run_push(datamodel, target, accept_data_loss=True)
        before = await catalog_fingerprint(conn, pg_schema)
        again, _ = await run_push(datamodel, target)
        assert again.executed == []
        assert await catalog_fingerprint(conn, pg_schema) == before
