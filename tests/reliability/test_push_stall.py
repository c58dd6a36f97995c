"""Issue 9, item 6: a push waiting for a lock must not stall the live API behind it.

A long transaction (the racer, idle after a write) holds books. A push that adds a column asks
for ACCESS EXCLUSIVE and waits; every later query on books queues behind that request. The
push's attempt must give way after its lock timeout so the queued read gets through while the
long transaction is still open, and the push must still finish once it ends.
"""

from __future__ import annotations

import asyncio

from orm.push.db import Connection
from orm.push.target import Target
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, columns, run_push, seed_books
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    push_pid,
    wait_until,
    waiting_pids,
)

ADD_PAGES = ("  title ", "  pages     Int?\n  title ")


async def test_a_read_queued_behind_a_blocked_push_gets_through_before_the_blocker_ends(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, racer: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    await racer.execute("BEGIN")
    await racer.execute("UPDATE books SET title = title")
    pushing = asyncio.create_task(run_push(datamodel_of(books(*ADD_PAGES)), target))

    async def push_waits() -> bool:
        pid = await push_pid(conn, target)
        return pid is not None and pid in await waiting_pids(conn)

    await wait_until(push_waits, "the push waits for the racer's lock on books")
    # An API read arriving now queues behind the push's ACCESS EXCLUSIVE request. The bound
    # only keeps a broken push from hanging the suite; with one, the read waits for the racer.
    read = conn.fetchval("SELECT count(*) FROM books")
    assert await asyncio.wait_for(read, timeout=120) == 2
    assert not pushing.done()

    await racer.execute("COMMIT")
    _, output = await pushing
    assert "pages" in await columns(conn, target.schema, "books")
    assert "retrying in" in output
