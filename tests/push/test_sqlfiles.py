"""The SQL folder: applied in name order once, again when changed, never taken for drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.errors import SqlFileError
from orm.push.target import Target
from orm.push.views import refresh_views
from tests.push.conftest import DatamodelOf
from tests.push.helpers import books, catalog_fingerprint, index_defs, run_push, seed_books

INDEXES = """
-- what the schema language can't say
CREATE INDEX IF NOT EXISTS books_live_idx ON books (created_at DESC) WHERE status = 'LIVE';
CREATE INDEX IF NOT EXISTS books_title_lower_idx ON books (lower(title));
CREATE INDEX IF NOT EXISTS books_plain_idx ON books (title, id);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'books_title_not_blank') THEN
    ALTER TABLE books ADD CONSTRAINT books_title_not_blank CHECK (length(title) > 0);
  END IF;
END
$$;
ALTER TABLE notes ADD COLUMN IF NOT EXISTS search tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', coalesce(body, ''))) STORED;
"""
VIEWS = """
CREATE MATERIALIZED VIEW IF NOT EXISTS author_book_counts AS
  SELECT author_id, count(*) AS books FROM books GROUP BY author_id;
CREATE UNIQUE INDEX IF NOT EXISTS author_book_counts_author ON author_book_counts (author_id);
CREATE MATERIALIZED VIEW IF NOT EXISTS aa_busiest_author AS
  SELECT max(books) AS books FROM author_book_counts;
"""
CONCURRENT = "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_body_idx ON notes (body);\n"


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "010_indexes.sql").write_text(INDEXES)
    (folder / "020_views.sql").write_text(VIEWS)
    (folder / "030_concurrent.sql").write_text(CONCURRENT)
    return folder


async def test_sql_files_run_once_and_their_objects_are_not_drift(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, sql_dir: Path
) -> None:
    _, output = await run_push(datamodel_of(books()), target, sql_dir=sql_dir)
    assert (
        "3 applied: 010_indexes.sql (new), 020_views.sql (new), 030_concurrent.sql (new)" in output
    )
    before = await catalog_fingerprint(conn, pg_schema)

    result, output = await run_push(datamodel_of(books()), target, sql_dir=sql_dir)

    assert result.executed == []
    assert "0 applied; 3 unchanged" in output
    assert await catalog_fingerprint(conn, pg_schema) == before
    assert {"books_live_idx", "books_title_lower_idx", "books_plain_idx", "notes_body_idx"} <= set(
        await index_defs(conn, pg_schema)
    )


async def test_schema_changes_keep_sql_file_objects(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, sql_dir: Path
) -> None:
    await run_push(datamodel_of(books()), target, sql_dir=sql_dir)

    result, _ = await run_push(
        datamodel_of(books('@@map("books")', '@@index([title])\n  @@map("books")')),
        target,
        sql_dir=sql_dir,
    )

    assert result.executed == ['CREATE INDEX "books_title_idx" ON "books" ("title")']
    assert "books_plain_idx" in await index_defs(conn, pg_schema)


async def test_a_changed_file_runs_again(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, sql_dir: Path
) -> None:
    await run_push(datamodel_of(books()), target, sql_dir=sql_dir)
    (sql_dir / "030_concurrent.sql").write_text(
        CONCURRENT + "CREATE INDEX IF NOT EXISTS notes_id_body_idx ON notes (id, body);\n"
    )

    _, output = await run_push(datamodel_of(books()), target, sql_dir=sql_dir)

    assert "1 applied: 030_concurrent.sql (changed); 2 unchanged" in output
    assert "notes_id_body_idx" in await index_defs(conn, pg_schema)
    again, _ = await run_push(datamodel_of(books()), target, sql_dir=sql_dir)
    assert again.executed == []


async def test_a_failing_file_is_reported_and_rolled_back(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "001_bad.sql").write_text(
        "CREATE INDEX books_ok_idx ON books (id);\nCREATE INDEX books_bad_idx ON books (nope);\n"
    )

    with pytest.raises(SqlFileError, match=r"001_bad\.sql failed"):
        await run_push(datamodel_of(books()), target, sql_dir=folder)

    assert "books_ok_idx" not in await index_defs(conn, pg_schema)


async def test_refresh_views_in_dependency_order(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, sql_dir: Path
) -> None:
    await run_push(datamodel_of(books()), target, sql_dir=sql_dir)
    await seed_books(conn)
    lines: list[str] = []

    count = await refresh_views(conn, pg_schema, concurrently=True, out=lines.append)

    assert count == 2
    assert lines[0].startswith("  refreshed author_book_counts")
    assert "plain refresh: no unique index" in lines[1]
    assert await conn.fetchval("SELECT books FROM aa_busiest_author") == 2


async def test_objects_from_a_partly_applied_file_are_not_drift(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, tmp_path: Path
) -> None:
    folder = tmp_path / "partial"
    folder.mkdir()
    script = folder / "001_concurrent.sql"
    script.write_text(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS books_made_idx ON books (title, status);\n"
        "CREATE INDEX CONCURRENTLY books_broken_idx ON books (nope);\n"
    )
    with pytest.raises(SqlFileError):
        await run_push(datamodel_of(books()), target, sql_dir=folder)
    script.write_text(script.read_text().replace("(nope)", "(created_at)"))

    result, output = await run_push(datamodel_of(books()), target, sql_dir=folder)

    assert result.executed == []
    assert "1 applied: 001_concurrent.sql (new)" in output
    assert {"books_made_idx", "books_broken_idx"} <= set(await index_defs(conn, pg_schema))


async def test_force_reset_drops_sql_file_objects_and_runs_the_files_again(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str, sql_dir: Path
) -> None:
    await run_push(datamodel_of(books()), target, sql_dir=sql_dir)
    await conn.execute(
        "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$;"
        "CREATE VIEW loud_books AS SELECT shout(title) AS title FROM books;"
        "CREATE SEQUENCE stray_seq"
    )
    await seed_books(conn)

    _, output = await run_push(datamodel_of(books()), target, sql_dir=sql_dir, force_reset=True)

    assert (
        "3 applied: 010_indexes.sql (new), 020_views.sql (new), 030_concurrent.sql (new)" in output
    )
    assert await conn.fetchval("SELECT count(*) FROM books") == 0
    leftovers = await conn.fetchval(
        "SELECT count(*) FROM pg_class WHERE relname IN ('loud_books', 'stray_seq')"
        " AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)",
        pg_schema,
    )
    assert leftovers == 0
    assert await conn.fetchval("SELECT to_regprocedure('shout(text)')") is None
    assert await conn.fetchval("SELECT to_regclass('author_book_counts')") is not None
    again, _ = await run_push(datamodel_of(books()), target, sql_dir=sql_dir)
    assert again.executed == []


async def test_an_invalid_index_from_a_failed_sql_file_is_rebuilt(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "unique"
    folder.mkdir()
    (folder / "001_unique.sql").write_text(
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS books_title_uq ON books (lower(title));\n"
    )
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    await conn.execute("UPDATE books SET title = 'Same'")
    with pytest.raises(SqlFileError):
        await run_push(datamodel_of(books()), target, sql_dir=folder)
    valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('books_title_uq')"
    assert await conn.fetchval(valid) is False

    await conn.execute("UPDATE books SET title = title || id")
    _, output = await run_push(datamodel_of(books()), target, sql_dir=folder)

    assert "1 applied: 001_unique.sql (new)" in output
    assert await conn.fetchval(valid) is True
