"""Issue 9, item 11: db push leaves alone what it did not create.

Decision: objects in the schema that no push created (an index or table an operator added, a
column, an enum, views and materialized views, whatever the SQL files made) are listed as left
alone and kept. `--drop-unknown` drops them, still refusing to lose rows without
`--accept-data-loss`. What a push did create and the schema no longer has is dropped as before
(push records its objects in `_orm_push_state`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.errors import DataLossError, PushError
from orm.push.target import Target
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, catalog_fingerprint, run_push, seed_books
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    catalog,
)

BY_HAND = """
CREATE INDEX books_title_by_hand ON books (title);
CREATE TABLE audit_log (id INT PRIMARY KEY, note TEXT);
ALTER TABLE notes ADD COLUMN extra TEXT;
CREATE TYPE "Mood" AS ENUM ('HAPPY', 'SAD');
CREATE VIEW live_books AS SELECT * FROM books WHERE status = 'LIVE';
CREATE MATERIALIZED VIEW books_per_author AS
  SELECT author_id, count(*) AS books FROM books GROUP BY author_id;
"""
SQL_FILE = """
CREATE INDEX IF NOT EXISTS idx_books_lower_title ON books (lower(title));
CREATE MATERIALIZED VIEW IF NOT EXISTS note_lengths AS SELECT id, length(body) AS n FROM notes;
CREATE UNIQUE INDEX IF NOT EXISTS note_lengths_id ON note_lengths (id);
"""
LEFT_ALONE = [
    "  = table audit_log",
    "  = enum Mood",
    "  = column notes.extra text",
    "  = index books_title_by_hand on books (title)",
]
ADD_PAGES = ("  title ", "  pages     Int?\n  title ")
DROP_NOTES = (
    "model Note {\n  id   Int     @id @default(autoincrement())\n  body String?\n\n"
    '  @@map("notes")\n}\n',
    "",
)


@pytest.fixture
async def hand_made(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, tmp_path: Path
) -> Path:
    """books pushed with a SQL folder, seeded, then an operator's objects added by hand."""
    (tmp_path / "010_extra.sql").write_text(SQL_FILE)
    await run_push(datamodel_of(books()), target, sql_dir=tmp_path)
    await seed_books(conn)
    await conn.execute(BY_HAND)
    return tmp_path


async def test_objects_push_did_not_create_are_listed_and_kept(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, hand_made: Path
) -> None:
    before = await catalog(conn, pg_schema)

    same, same_output = await run_push(datamodel_of(books()), target, sql_dir=hand_made)
    edited, output = await run_push(datamodel_of(books(*ADD_PAGES)), target, sql_dir=hand_made)

    assert same.executed == []
    assert edited.executed == ['ALTER TABLE "books" ADD COLUMN "pages" INTEGER']
    for line in LEFT_ALONE:
        assert line in same_output
        assert line in output
    assert "Left alone: 4 objects db push did not create" in output
    after = await catalog(conn, pg_schema)
    assert set(before) - set(after) == set()  # nothing of the operator's or the files' is gone
    assert await conn.fetchval("SELECT count(*) FROM books_per_author") == 1


async def test_drop_unknown_drops_them_but_still_guards_rows(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, hand_made: Path
) -> None:
    await conn.execute("INSERT INTO audit_log VALUES (1, 'keep')")

    with pytest.raises(DataLossError, match="drop table audit_log: 1 rows would be lost"):
        await run_push(datamodel_of(books()), target, sql_dir=hand_made, drop_unknown=True)
    result, _ = await run_push(
        datamodel_of(books()), target, sql_dir=hand_made, drop_unknown=True, accept_data_loss=True
    )

    assert sorted(result.executed) == [
        'ALTER TABLE "notes" DROP COLUMN "extra"',
        'DROP INDEX "books_title_by_hand"',
        'DROP TABLE "audit_log"',
        'DROP TYPE "Mood"',
    ]
    assert await conn.fetchval("SELECT to_regclass('idx_books_lower_title') IS NOT NULL")
    assert await conn.fetchval("SELECT to_regclass('books_per_author') IS NOT NULL")


async def test_what_a_push_created_goes_when_the_schema_drops_it(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    without = books(*DROP_NOTES).replace("\n  @@index([authorId, createdAt])", "")

    result, output = await run_push(datamodel_of(without), target)

    assert result.executed == [
        'DROP INDEX "books_author_id_created_at_idx"',
        'DROP TABLE "notes"',
    ]
    assert "Left alone" not in output


async def test_a_schema_pushed_before_push_kept_records_loses_nothing_it_cannot_place(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await conn.execute("DELETE FROM _orm_push_state")  # as an older db push left it

    result, output = await run_push(datamodel_of(books(*DROP_NOTES)), target)

    assert result.executed == []
    assert "  = table notes" in output
    again, _ = await run_push(datamodel_of(books(*DROP_NOTES)), target, drop_unknown=True)
    assert again.executed == ['DROP TABLE "notes"']


async def test_a_change_an_operators_view_depends_on_fails_whole_and_names_the_view(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(books()), target)
    await conn.execute("CREATE MATERIALIZED VIEW note_bodies AS SELECT body FROM notes")
    before = await catalog_fingerprint(conn, pg_schema)

    with pytest.raises(PushError) as failed:
        await run_push(datamodel_of(books("  body String?\n", "")), target)

    assert "materialized view note_bodies depends on column body of table notes" in str(
        failed.value
    )
    assert "rolled back" in str(failed.value)
    assert await catalog_fingerprint(conn, pg_schema) == before
