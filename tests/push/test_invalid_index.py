"""A concurrent index build that fails leaves an INVALID index; the next push rebuilds it."""

from __future__ import annotations

import pytest

from orm.push.db import Connection
from orm.push.errors import PushError
from orm.push.target import Target
from tests.push.conftest import DatamodelOf
from tests.push.helpers import books, run_push, seed_books

UNIQUE_TITLE = ('@@map("books")', '@@unique([title])\n  @@map("books")')


async def _validity(conn: Connection, name: str) -> bool | None:
    valid = await conn.fetchval(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)", name
    )
    return None if valid is None else bool(valid)


async def test_failed_concurrent_build_is_reported_then_rebuilt(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    await conn.execute("UPDATE books SET title = 'Same'")
    datamodel = datamodel_of(books(*UNIQUE_TITLE))

    with pytest.raises(PushError, match="left INVALID"):
        await run_push(datamodel, target)
    assert await _validity(conn, "books_title_key") is False

    await conn.execute("UPDATE books SET title = title || id")
    result, output = await run_push(datamodel, target)

    assert result.executed == [
        'DROP INDEX "books_title_key"',
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
