"""Issue 9, item 6: a push never stalls the live application for longer than its lock timeout.

A long transaction (the racer, idle in transaction after a write) holds a lock the push needs.
Each attempt of the push gives up after `lock_timeout`, releases everything, pauses and tries
again; queries queued behind a waiting attempt then go ahead. When it can't get the lock at
all, the error names the table and the sessions holding it. Nothing asserts durations: the
tests check who waits for whom.
"""

from __future__ import annotations

import pytest

from orm.push.db import Connection
from orm.push.errors import LockWaitError
from orm.push.locking import LockPolicy
from orm.push.target import Target
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, columns, run_push, seed_books
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    catalog,
    clean_catalog,
    push_pid,
)

ADD_PAGES = ("  title ", "  pages     Int?\n  title ")
UNIQUE_AUTHOR_NAME = ("  name  String\n", "  name  String @unique\n")
FAST = LockPolicy(timeout=0.1, retries=2, delay=0.01)
HOLDS_SQL = """
SELECT count(*) FROM pg_locks
WHERE pid = $1 AND (NOT granted OR relation = to_regclass('books'))
"""


@pytest.fixture
async def blocked(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, racer: Connection
) -> int:
    """books and authors with rows, and the racer idle in a transaction that wrote to both.
    Returns the racer's pid."""
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    pid = int(str(await racer.fetchval("SELECT pg_backend_pid()")))
    await racer.execute("BEGIN")
    await racer.execute("UPDATE books SET title = title; UPDATE authors SET name = name")
    return pid


async def test_a_push_that_cannot_get_its_lock_names_the_blocking_session(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    pg_schema: str,
    blocked: int,
) -> None:
    before = await catalog(conn, pg_schema)
    between: list[int] = []

    async def between_attempts(name: str) -> None:
        if name.startswith("lock_retry:"):  # the push holds and awaits nothing on books now
            pid = await push_pid(conn, target)
            between.append(int(str(await conn.fetchval(HOLDS_SQL, pid))))

    with pytest.raises(LockWaitError) as gave_up:
        await run_push(
            datamodel_of(books(*ADD_PAGES)), target, lock=FAST, checkpoint=between_attempts
        )

    message = str(gave_up.value)
    assert (
        "could not take the ACCESS EXCLUSIVE lock on table books in 3 attempts of 0.1s each"
        in message
    )
    assert f"pid {blocked} (application 'reliability-racer'" in message
    assert "idle in transaction" in message
    assert "UPDATE books SET title = title" in message
    assert "pg_terminate_backend" in message
    assert between == [0, 0]
    assert await catalog(conn, pg_schema) == before


@pytest.mark.usefixtures("blocked")
async def test_a_push_gets_through_once_the_long_transaction_ends(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, racer: Connection
) -> None:
    async def end_it_after_the_first_timeout(name: str) -> None:
        if name == "lock_retry:1":
            await racer.execute("COMMIT")

    _, output = await run_push(
        datamodel_of(books(*ADD_PAGES)),
        target,
        lock=FAST,
        checkpoint=end_it_after_the_first_timeout,
    )

    assert "Applying the schema change: waited 0.1s for table books" in output
    assert "attempt 2 of 3" in output
    assert "pages" in await columns(conn, target.schema, "books")


async def test_an_index_build_blocked_by_a_long_transaction_gives_up_and_the_next_converges(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    racer: Connection,
    pg_schema: str,
    blocked: int,
) -> None:
    unique = datamodel_of(books(*UNIQUE_AUTHOR_NAME))

    with pytest.raises(LockWaitError) as gave_up:
        await run_push(unique, target, lock=FAST)

    message = str(gave_up.value)
    assert "Building authors_name_key: gave up waiting for other transactions" in message
    assert f"pid {blocked} (application 'reliability-racer'" in message
    # Dropping the half-made index waits for the same transaction; it is left, never ready
    # (so never maintained nor enforced), and the next push replaces it.
    assert "Could not drop index authors_name_key, built by this push" in message
    assert not await conn.fetchval(
        "SELECT indisready OR indisvalid FROM pg_index"
        " WHERE indexrelid = 'authors_name_key'::regclass"
    )
    await racer.execute("ROLLBACK")
    await run_push(unique, target)
    assert await catalog(conn, pg_schema) == await clean_catalog(unique)
