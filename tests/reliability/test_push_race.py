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
from tests.push.helpers import books, run_push
from tests.reliability.push_fixtures import (
    catalog,
    push_pid,
    wait_until,
    waiting_pids,
)
from tests.reliability.push_fixtures import (
    conn as conn,
)
from tests.reliability.push_fixtures import (
    datamodel_of as datamodel_of,
)
from tests.reliability.push_fixtures import (
    racer as racer,
)
from tests.reliability.push_fixtures import (
    target as target,
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
