"""Issue 9, item 3: a failed push changes nothing, and a retry converges to a clean push.

Duplicates in the data make a unique index impossible. Every failed attempt must leave the
schema as it was (every foreign key still there, no INVALID index), and once the duplicates
are gone the retry must end where a clean push of the same schema ends.
"""

from __future__ import annotations

import asyncpg
import pytest

from orm.push.db import Connection
from orm.push.errors import PushError
from orm.push.target import Target
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, run_push
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    catalog,
    clean_catalog,
)

UNIQUE_AUTHOR_NAME = ("  name  String\n", "  name  String @unique\n")
FK_SQL = (
    "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
    " AND conrelid = to_regclass('books') AND confrelid = to_regclass('authors')"
)


async def _authors_with_a_duplicate(conn: Connection) -> None:
    await conn.execute(
        "INSERT INTO authors (id, name) VALUES (1, 'Ursula'), (2, 'Ursula'), (3, 'Octavia');"
        "INSERT INTO books (title, author_id) VALUES ('Lavinia', 1), ('Kindred', 3)"
    )


@pytest.mark.usefixtures("books_pushed")
async def test_retries_with_duplicates_keep_every_foreign_key_then_converge(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    unique = datamodel_of(books(*UNIQUE_AUTHOR_NAME))
    await _authors_with_a_duplicate(conn)
    before = await catalog(conn, pg_schema)

    for _ in range(3):  # an operator retrying without fixing the data
        with pytest.raises(PushError) as failed:
            await run_push(unique, target)
        assert await conn.fetchval(FK_SQL) == 1, "a retry dropped the foreign key"
        assert await catalog(conn, pg_schema) == before, "a failed push changed the schema"
        assert "occur in more than one row" in str(failed.value)
    with pytest.raises(asyncpg.ForeignKeyViolationError):  # no orphan can appear
        await conn.execute("DELETE FROM authors WHERE id = 1")

    await conn.execute("UPDATE authors SET name = 'Ursula K.' WHERE id = 2")
    await run_push(unique, target)

    assert await catalog(conn, pg_schema) == await clean_catalog(unique)
    again, _ = await run_push(unique, target)
    assert again.executed == []


async def test_a_duplicate_written_during_the_build_leaves_nothing_behind(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    racer: Connection,
    pg_schema: str,
) -> None:
    await run_push(datamodel_of(books()), target)
    await conn.execute("INSERT INTO authors (id, name) VALUES (1, 'Ursula'), (2, 'Octavia')")
    before = await catalog(conn, pg_schema)
    unique = datamodel_of(books(*UNIQUE_AUTHOR_NAME))

    async def duplicate_before_the_build(name: str) -> None:
        if name == "index_building:authors_name_key":  # after the up-front duplicate check
            await racer.execute("INSERT INTO authors (id, name) VALUES (3, 'Ursula')")

    with pytest.raises(PushError) as failed:
        await run_push(unique, target, checkpoint=duplicate_before_the_build)

    message = str(failed.value)
    assert "unique index authors_name_key on authors (name) (concurrently) failed" in message
    assert "could not create unique index" in message
    assert "Dropped again the indexes this push had built: authors_name_key" in message
    assert await catalog(conn, pg_schema) == before
    await conn.execute("DELETE FROM authors WHERE id = 3")
    await run_push(unique, target)
    assert await catalog(conn, pg_schema) == await clean_catalog(unique)
