"""Fixtures and helpers for the push and seed reliability tests (real PostgreSQL, no mocks).

Races are made deterministic by locks, not sleeps: a second connection (`racer`) holds a lock
or an open transaction, the test polls `pg_locks` until the push is seen waiting behind it
(`wait_until`), then lets it go. `catalog` describes a schema the way a push leaves it, so a
schema after a failure, a kill or a retry can be compared with one a clean push made.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.dmmf import JsonValue
from orm.push.target import Target, connect, lock_key, parse_target
from tests import ROOT
from tests.conftest import TEST_DATABASE_URL, with_query
from tests.push.fixtures import DatamodelOf
from tests.push.fixtures import conn as conn
from tests.push.fixtures import datamodel_of as datamodel_of
from tests.push.fixtures import target as target
from tests.push.helpers import books, run_push

# The fixtures: a test module takes them with `from tests.reliability.push_fixtures import *`;
# the helpers below are imported by name.
__all__ = ["books_pushed", "conn", "datamodel_of", "racer", "target"]

Datamodel = dict[str, JsonValue]

CATALOG_SQL = """
SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS entry
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'm')
  AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'index ' || i.relname || ' ' || pg_get_indexdef(x.indexrelid)
       || CASE WHEN x.indisvalid THEN '' ELSE ' INVALID' END
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE i.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'constraint ' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
       || CASE WHEN con.convalidated THEN '' ELSE ' NOT VALID' END
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'enum ' || t.typname || ' ' || array_to_string(
         ARRAY(SELECT enumlabel FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder), ',')
FROM pg_type t WHERE t.typnamespace = current_schema()::regnamespace AND t.typtype = 'e'
UNION ALL
SELECT 'relation ' || c.relname || ' ' || c.relkind::text FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
"""

WAITING_SQL = "SELECT DISTINCT pid FROM pg_locks WHERE NOT granted"


async def catalog(conn: Connection, schema: str) -> list[str]:
    """Every column, index, constraint, enum and relation of `schema`, as sorted text, with
    the schema's name taken out (so two schemas compare)."""
    rows = await conn.fetch(CATALOG_SQL)
    entries = [str(r["entry"]).replace(f"{schema}.", "") for r in rows]
    return sorted(entries)


async def clean_catalog(datamodel: Datamodel, *, sql_dir: Path | None = None) -> list[str]:
    """The catalog a push of `datamodel` makes in a fresh schema (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    clean = parse_target(with_query(TEST_DATABASE_URL, schema=name))
    await run_push(datamodel, clean, sql_dir=sql_dir)
    observer = await connect(clean)
    try:
        return await catalog(observer, name)
    finally:
        await observer.execute(f'DROP SCHEMA "{name}" CASCADE')
        await observer.close()


def orm_cli(
    args: list[str], *, url: str, client: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m orm <args>` from the repository root, as an operator runs it; `client` is a
    folder to put on PYTHONPATH (see `tests.push.helpers.fake_client`)."""
    inherited = os.environ.get("PYTHONPATH")
    path = os.pathsep.join(str(p) for p in (client, ROOT, inherited) if p)
    return subprocess.run(
        [sys.executable, "-m", "orm", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": path, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


async def push_pid(conn: Connection, target: Target) -> int | None:
    """The server pid of the push to `target`: the session holding its advisory lock."""
    key = lock_key(target.schema)
    pid = await conn.fetchval(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND ((classid::bigint << 32) | objid::bigint) = $1",
        key,
    )
    return None if pid is None else int(str(pid))


async def waiting_pids(conn: Connection) -> set[int]:
    """Sessions waiting for a lock right now (table, row or transaction locks)."""
    return {int(str(r["pid"])) for r in await conn.fetch(WAITING_SQL)}


async def wait_until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Polls `check` until it holds. The bound only stops a broken test from hanging: it is
    not a timing assertion (on a loaded machine the condition may take seconds)."""
    for _ in range(3000):
        if await check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"gave up waiting until {what}")


@pytest.fixture
async def racer(target: Target) -> AsyncIterator[Connection]:
    """A second session on the test's schema: the application writing while a push runs.
    Tests open its transaction with `execute("BEGIN")` and end it with COMMIT or ROLLBACK;
    closing the connection rolls back whatever is left open."""
    connection = await connect(target)
    await connection.execute("SET application_name = 'reliability-racer'")
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def books_pushed(datamodel_of: DatamodelOf, target: Target) -> None:
    """The test's schema holds `tests.push.helpers.books()`, pushed, without rows."""
    await run_push(datamodel_of(books()), target)
