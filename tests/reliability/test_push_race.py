"""Issue 9, item 2: a write racing the data-loss check must never be lost.

The racer opens a transaction that writes into a column (or table) that is empty when the push
plans; the push is seen waiting for the racer's lock, then the racer commits. The push must
count that row under its lock and refuse, instead of dropping it.
"""

from __future__ import annotations

import asyncio

import pytest

from orm.push.db import Connection
from orm.push.errors import DataLossError
from orm.push.target import Target
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, run_push, seed_books
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    catalog,
    push_pid,
    wait_until,
    waiting_pids,
)

DROP_BODY = ("  body String?\n", "")
DROP_NOTES = (
    "model Note {\n  id   Int     @id @default(autoincrement())\n  body String?\n\n"
    '  @@map("notes")\n}\n',
    "",
)
RACES = {
    # the rows before, the edit, the racer's write, what the refusal says
    "drop-column": (
        "INSERT INTO notes (body) VALUES (NULL)",  # the column holds no value
        DROP_BODY,
        "UPDATE notes SET body = 'written during the push'",
        "drop column notes.body: 1 non-null values would be lost",
    ),
    "drop-table": (
        "SELECT",  # the table is empty
        DROP_NOTES,
        "INSERT INTO notes (body) VALUES ('written during the push')",
        "drop table notes: 1 rows would be lost",
    ),
}


@pytest.mark.parametrize("race", RACES, ids=list(RACES))
async def test_a_write_committed_during_the_check_refuses_the_push(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    racer: Connection,
    pg_schema: str,
    race: str,
) -> None:
    rows, edit, write, refusal = RACES[race]
    await run_push(datamodel_of(books()), target)
    await conn.execute(rows)
    before = await catalog(conn, pg_schema)
    await racer.execute("BEGIN")
    await racer.execute(write)  # not committed: the push's count can't see it yet

    pushing = asyncio.create_task(run_push(datamodel_of(books(*edit)), target))

    async def push_waits_for_the_racer() -> bool:
        pid = await push_pid(conn, target)
        return pid is not None and pid in await waiting_pids(conn)

    await wait_until(push_waits_for_the_racer, "the push waits for the racer's lock")
    await racer.execute("COMMIT")
    with pytest.raises(DataLossError) as refused:
        await pushing

    assert refusal in str(refused.value)
    assert await conn.fetchval("SELECT count(*) FROM notes WHERE body IS NOT NULL") == 1
    assert await catalog(conn, pg_schema) == before


# PostgreSQL's table lock modes and the modes each conflicts with (the docs' conflict table).
MODES = [
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
]
CONFLICTS = {
    "AccessShareLock": {"AccessExclusiveLock"},
    "RowShareLock": {"ExclusiveLock", "AccessExclusiveLock"},
    "RowExclusiveLock": set(MODES[4:]),
    "ShareUpdateExclusiveLock": set(MODES[3:]),
    "ShareLock": {"RowExclusiveLock", "ShareUpdateExclusiveLock", *MODES[5:]},
    "ShareRowExclusiveLock": set(MODES[2:]),
    "ExclusiveLock": set(MODES[1:]),
    "AccessExclusiveLock": set(MODES),
}
TABLE_LOCKS_SQL = """
SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
WHERE l.pid = $1 AND l.granted AND c.relkind IN ('r', 'p')
  AND c.relnamespace = current_schema()::regnamespace
"""
MANY_CHANGES = [
    ("  body String?\n", ""),  # drop a column
    ("  title ", "  pages     Int?\n  title "),  # add one
    ("VarChar(200)", "VarChar(300)"),  # widen one
    ("references: [id])", "references: [id], onDelete: Cascade)"),  # rebuild a foreign key
    ('@@map("books")', '@@index([title])\n  @@map("books")'),  # built concurrently
]
SHELVES = """
model Shelf {
  id       Int    @id
  authorId Int    @unique @map("author_id")
  author   Author @relation(fields: [authorId], references: [id])
}
"""


async def test_every_lock_the_change_needs_is_taken_before_the_check(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    """No DDL statement in the transaction waits for a lock it didn't take up front (which
    would let a write slip in after the check, or deadlock with the application)."""
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    edited = books()
    for old, new in MANY_CHANGES:
        edited = edited.replace(old, new)
    edited = edited.replace("  books Book[]\n", "  books Book[]\n  shelf Shelf?\n") + SHELVES
    snapshots: dict[str, set[tuple[str, str]]] = {}

    async def snapshot(name: str) -> None:
        if name in {"main_locked", "main_applied"}:
            rows = await conn.fetch(TABLE_LOCKS_SQL, await push_pid(conn, target))
            snapshots[name] = {(str(r["relname"]), str(r["mode"])) for r in rows}

    result, _ = await run_push(
        datamodel_of(edited), target, accept_data_loss=True, checkpoint=snapshot
    )

    assert len(result.executed) >= 8
    locked, applied = snapshots["main_locked"], snapshots["main_applied"]
    assert {"authors", "books", "notes"} <= {table for table, _ in locked}
    for table, mode in applied:
        if table == "Shelf" or table.startswith("_orm_"):
            continue  # created inside the transaction
        held: set[str] = set()
        for _, held_mode in (entry for entry in locked if entry[0] == table):
            held |= CONFLICTS[held_mode]
        assert CONFLICTS[mode] <= held, f"{mode} on {table} was not covered by {locked}"
