"""Invalid indexes (a failed or interrupted concurrent build) are rebuilt; duplicates that
would make a unique build fail are refused before anything is built."""

from __future__ import annotations

import pytest

from orm.push.db import Connection
from orm.push.errors import DataLossError
from orm.push.target import Target
from tests.push.conftest import DatamodelOf
from tests.push.helpers import books, run_push, seed_books

UNIQUE_TITLE = ('@@map("books")', '@@unique([title])\n  @@map("books")')


async def _validity(conn: Connection, name: str) -> bool | None:
    valid = await conn.fetchval(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)", name
    )
    return None if valid is None else bool(valid)


async def test_duplicates_refuse_a_unique_index_before_anything_is_built(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    await conn.execute("UPDATE books SET title = 'Same'")
    datamodel = datamodel_of(books(*UNIQUE_TITLE))

    with pytest.raises(DataLossError, match=r"1 values of \(title\) occur in more than one row"):
        await run_push(datamodel, target)
    assert await _validity(conn, "books_title_key") is None

    await conn.execute("UPDATE books SET title = title || id")
    result, _ = await run_push(datamodel, target)

    assert result.executed == [
        'CREATE UNIQUE INDEX CONCURRENTLY "books_title_key" ON "books" ("title")',
    ]
    assert await _validity(conn, "books_title_key") is True


async def test_an_invalid_index_on_a_populated_table_is_rebuilt_concurrently(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    datamodel = datamodel_of(books(*UNIQUE_TITLE))
    await run_push(datamodel, target)
    await seed_books(conn)
    await conn.execute(
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass('books_title_key')"
    )

    result, output = await run_push(datamodel, target)

    assert result.executed == [
        'DROP INDEX CONCURRENTLY IF EXISTS "books_title_key"',
        'CREATE UNIQUE INDEX CONCURRENTLY "books_title_key" ON "books" ("title")',
    ]
    assert "invalid, rebuilt" in output
    assert await _validity(conn, "books_title_key") is True


async def test_index_marked_invalid_is_rebuilt(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await conn.execute(
        "UPDATE pg_index SET indisvalid = false"
        " WHERE indexrelid = to_regclass('books_author_id_created_at_idx')"
    )

    result, _ = await run_push(datamodel_of(books()), target)

    assert result.executed == [
        'DROP INDEX "books_author_id_created_at_idx"',
        'CREATE INDEX "books_author_id_created_at_idx" ON "books" ("author_id", "created_at")',
    ]
    assert await _validity(conn, "books_author_id_created_at_idx") is True
