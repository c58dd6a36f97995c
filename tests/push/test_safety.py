"""Changes that lose data are refused (nothing changes) unless `accept_data_loss` is given."""

from __future__ import annotations

import pytest

from orm.push.db import Connection
from orm.push.errors import DataLossError
from orm.push.target import Target
from tests.push.conftest import DatamodelOf
from tests.push.helpers import books, catalog_fingerprint, columns, run_push, seed_books

DROP_NOTES_BODY = ("  body String?\n", "")
DROP_NOTES = (
    "model Note {\n  id   Int     @id @default(autoincrement())\n  body String?\n\n"
    '  @@map("notes")\n}\n',
    "",
)
NARROW_TITLE = ("VarChar(200)", "VarChar(5)")


@pytest.fixture
async def seeded(datamodel_of: DatamodelOf, target: Target, conn: Connection) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)


async def _refused(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    *,
    schema: str,
    edit: tuple[str, str],
) -> str:
    before = await catalog_fingerprint(conn, schema)
    with pytest.raises(DataLossError) as refused:
        await run_push(datamodel_of(books(*edit)), target)
    assert await catalog_fingerprint(conn, schema) == before, "a refused push changed the schema"
    return str(refused.value)


@pytest.mark.usefixtures("seeded")
async def test_dropping_a_column_with_values_is_refused(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    message = await _refused(datamodel_of, target, conn, schema=pg_schema, edit=DROP_NOTES_BODY)

    assert "drop column notes.body: 1 non-null values would be lost" in message
    assert "--accept-data-loss" in message
    assert "Nothing was changed" in message
    assert await conn.fetchval("SELECT body FROM notes") == "keep me"


@pytest.mark.usefixtures("seeded")
async def test_dropping_a_table_with_rows_is_refused(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    message = await _refused(datamodel_of, target, conn, schema=pg_schema, edit=DROP_NOTES)

    assert "drop table notes: 1 rows would be lost" in message


@pytest.mark.usefixtures("seeded")
async def test_narrowing_a_type_is_refused(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    message = await _refused(datamodel_of, target, conn, schema=pg_schema, edit=NARROW_TITLE)

    assert "change type of books.title from character varying(200) to VARCHAR(5)" in message


@pytest.mark.usefixtures("seeded")
async def test_removing_an_enum_value_in_use_is_refused(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    before = await catalog_fingerprint(conn, pg_schema)
    schema = books("  DRAFT\n  LIVE\n", "  LIVE\n").replace("@default(DRAFT)", "@default(LIVE)")

    with pytest.raises(DataLossError) as refused:
        await run_push(datamodel_of(schema), target)

    assert (
        "remove value(s) DRAFT from enum Status: 2 rows of books.status hold a removed value;"
        " the column is required, so update those rows first" in str(refused.value)
    )
    assert await catalog_fingerprint(conn, pg_schema) == before


@pytest.mark.usefixtures("seeded")
async def test_required_field_without_default_cannot_be_added_even_when_accepted(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    edit = ("  title ", "  isbn      String\n  title ")
    before = await catalog_fingerprint(conn, pg_schema)

    with pytest.raises(DataLossError) as refused:
        await run_push(datamodel_of(books(*edit)), target, accept_data_loss=True)

    assert "add required column books.isbn without a default" in str(refused.value)
    assert "--force-reset" in str(refused.value)
    assert await catalog_fingerprint(conn, pg_schema) == before


@pytest.mark.usefixtures("seeded")
async def test_making_a_field_required_while_nulls_exist_is_refused(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await conn.execute("INSERT INTO notes (body) VALUES (NULL)")

    message = await _refused(
        datamodel_of, target, conn, schema=pg_schema, edit=("body String?", "body String")
    )

    assert "make notes.body required: 1 rows hold NULL there" in message


@pytest.mark.usefixtures("seeded")
async def test_making_a_field_required_without_nulls_just_works(
    datamodel_of: DatamodelOf, target: Target
) -> None:
    result, _ = await run_push(datamodel_of(books("body String?", "body String")), target)

    assert result.executed == ['ALTER TABLE "notes" ALTER COLUMN "body" SET NOT NULL']


@pytest.mark.usefixtures("seeded")
async def test_accept_data_loss_applies_drops_and_narrowing(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await conn.execute("UPDATE books SET title = left(title, 5)")
    schema = books(*DROP_NOTES_BODY).replace(*NARROW_TITLE)

    result, output = await run_push(datamodel_of(schema), target, accept_data_loss=True)

    assert 'ALTER TABLE "notes" DROP COLUMN "body"' in result.executed
    assert "body" not in await columns(conn, pg_schema, "notes")
    assert (await columns(conn, pg_schema, "books"))["title"][0] == "character varying(5)"
    assert await conn.fetchval("SELECT count(*) FROM books") == 2
    assert "Applied 2 changes" in output


@pytest.mark.usefixtures("seeded")
async def test_accept_data_loss_drops_a_table(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    result, _ = await run_push(datamodel_of(books(*DROP_NOTES)), target, accept_data_loss=True)

    assert result.executed == ['DROP TABLE "notes"']
    assert await conn.fetchval("SELECT to_regclass('notes')") is None


@pytest.mark.usefixtures("seeded")
async def test_removing_an_unused_enum_value_recreates_the_type(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    with_gone = books("  DRAFT\n  LIVE\n", "  DRAFT\n  LIVE\n  GONE\n")
    await run_push(datamodel_of(with_gone), target)

    result, _ = await run_push(datamodel_of(books()), target)

    assert result.executed[:2] == [
        'ALTER TYPE "Status" RENAME TO "Status_old"',
        "CREATE TYPE \"Status\" AS ENUM ('DRAFT', 'LIVE')",
    ]
    assert result.executed[-1] == 'DROP TYPE "Status_old"'
    assert await conn.fetchval('SELECT enum_range(NULL::"Status")::text[]') == ["DRAFT", "LIVE"]
    assert await conn.fetchval("SELECT count(*) FROM books WHERE status = 'DRAFT'") == 2
    assert (
        await conn.fetchval(
            "SELECT column_default FROM information_schema.columns"
            " WHERE table_name = 'books' AND column_name = 'status'"
            " AND table_schema = current_schema()"
        )
        == "'DRAFT'::\"Status\""
    )


@pytest.mark.usefixtures("seeded")
async def test_force_reset_starts_over(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    result, output = await run_push(
        datamodel_of(books("  title ", "  isbn      String\n  title ")), target, force_reset=True
    )

    assert "Reset" in output
    assert await conn.fetchval("SELECT count(*) FROM books") == 0
    assert await conn.fetchval("SELECT count(*) FROM notes") == 0
    assert result.executed[0].startswith("DROP ")


MOODS = """
enum Mood {
  HAPPY
  SAD
  MEH
}

model Entry {
  id    Int    @id
  mood  Mood?
  moods Mood[]
}
"""


async def test_accepted_enum_value_removal_clears_optional_and_list_values(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(MOODS), target)
    await conn.execute(
        """INSERT INTO "Entry" VALUES (1, 'SAD', '{HAPPY,SAD}'), (2, 'MEH', '{MEH}')"""
    )
    without_sad = datamodel_of(MOODS.replace("  SAD\n", ""))

    with pytest.raises(DataLossError) as refused:
        await run_push(without_sad, target)
    assert "1 rows of Entry.mood hold a removed value and would become NULL" in str(refused.value)
    assert "1 rows of Entry.moods hold a removed value and would lose those values" in str(
        refused.value
    )

    await run_push(without_sad, target, accept_data_loss=True)

    rows = await conn.fetch('SELECT id, mood::text, moods::text[] FROM "Entry" ORDER BY id')
    assert [(r["id"], r["mood"], r["moods"]) for r in rows] == [
        (1, None, ["HAPPY"]),
        (2, "MEH", ["MEH"]),
    ]
