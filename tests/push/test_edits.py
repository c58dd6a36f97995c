"""Schema edits produce the DDL Prisma would run, and only that."""

from __future__ import annotations

from orm.push.db import Connection
from orm.push.target import Target
from tests.push.conftest import DatamodelOf
from tests.push.helpers import books, columns, index_defs, run_push, seed_books


async def _edit(datamodel_of: DatamodelOf, target: Target, old: str, new: str) -> list[str]:
    await run_push(datamodel_of(books()), target)
    result, _ = await run_push(datamodel_of(books(old, new)), target)
    return result.executed


async def test_add_optional_field(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    executed = await _edit(datamodel_of, target, "  title ", "  pages     Int?\n  title ")

    assert executed == ['ALTER TABLE "books" ADD COLUMN "pages" INTEGER']
    assert (await columns(conn, pg_schema, "books"))["pages"] == ("integer", True, None)


async def test_add_required_field_with_default(datamodel_of: DatamodelOf, target: Target) -> None:
    executed = await _edit(
        datamodel_of, target, "  title ", '  lang      String @default("en")\n  title '
    )

    assert executed == ['ALTER TABLE "books" ADD COLUMN "lang" TEXT NOT NULL DEFAULT \'en\'']


async def test_add_index(datamodel_of: DatamodelOf, target: Target) -> None:
    executed = await _edit(
        datamodel_of, target, '@@map("books")', '@@index([title])\n  @@map("books")'
    )

    assert executed == ['CREATE INDEX "books_title_idx" ON "books" ("title")']


async def test_add_indexes_with_operator_classes(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    executed = await _edit(
        datamodel_of,
        target,
        '@@map("books")',
        '@@index([title(ops: raw("text_pattern_ops"))], map: "books_title_like")\n'
        "  @@index([meta(ops: JsonbPathOps)], type: Gin)\n"
        '  @@map("books")\n'
        "  meta Json?",
    )

    assert executed == [
        'ALTER TABLE "books" ADD COLUMN "meta" JSONB',
        'CREATE INDEX "books_title_like" ON "books" ("title" text_pattern_ops)',
        'CREATE INDEX "books_meta_idx" ON "books" USING GIN ("meta" jsonb_path_ops)',
    ]
    definitions = await index_defs(conn, pg_schema)
    assert definitions["books_title_like"].endswith("USING btree (title text_pattern_ops)")
    assert definitions["books_meta_idx"].endswith("USING gin (meta jsonb_path_ops)")


async def test_change_sort_order_recreates_the_index(
    datamodel_of: DatamodelOf, target: Target
) -> None:
    executed = await _edit(
        datamodel_of, target, "[authorId, createdAt]", "[authorId, createdAt(sort: Desc)]"
    )

    assert executed == [
        'DROP INDEX "books_author_id_created_at_idx"',
        'CREATE INDEX "books_author_id_created_at_idx" ON "books" ("author_id", "created_at" DESC)',
    ]


async def test_change_index_method(datamodel_of: DatamodelOf, target: Target) -> None:
    executed = await _edit(
        datamodel_of, target, '@@map("notes")', '@@index([id], type: Hash)\n  @@map("notes")'
    )

    assert executed == ['CREATE INDEX "notes_id_idx" ON "notes" USING HASH ("id")']


async def test_add_enum_values_in_place(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    executed = await _edit(
        datamodel_of, target, "  DRAFT\n  LIVE\n", "  DRAFT\n  REVIEW\n  LIVE\n  GONE\n"
    )

    assert executed == [
        "ALTER TYPE \"Status\" ADD VALUE 'REVIEW' BEFORE 'LIVE'",
        "ALTER TYPE \"Status\" ADD VALUE 'GONE'",
    ]
    labels = await conn.fetchval('SELECT enum_range(NULL::"Status")::text[]')
    assert labels == ["DRAFT", "REVIEW", "LIVE", "GONE"]


async def test_new_enum_value_can_be_the_new_default_in_one_push(
    datamodel_of: DatamodelOf, target: Target
) -> None:
    edited = books("  LIVE\n}", "  LIVE\n  GONE\n}").replace("@default(DRAFT)", "@default(GONE)")

    await run_push(datamodel_of(books()), target)

    result, _ = await run_push(datamodel_of(edited), target)

    assert result.executed == [
        "ALTER TYPE \"Status\" ADD VALUE 'GONE'",
        'ALTER TABLE "books" ALTER COLUMN "status" SET DEFAULT \'GONE\'',
    ]


async def test_drop_field_of_an_empty_table(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    executed = await _edit(datamodel_of, target, "  body String?\n", "")

    assert executed == ['ALTER TABLE "notes" DROP COLUMN "body"']
    assert "body" not in await columns(conn, pg_schema, "notes")


async def test_new_index_on_a_table_with_rows_is_built_concurrently(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)

    result, output = await run_push(
        datamodel_of(books('@@map("books")', '@@index([title])\n  @@map("books")')), target
    )

    assert result.executed == ['CREATE INDEX CONCURRENTLY "books_title_idx" ON "books" ("title")']
    assert "(concurrently)" in output


async def test_widening_a_column_keeps_rows(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)

    result, _ = await run_push(datamodel_of(books("VarChar(200)", "VarChar(300)")), target)

    assert result.executed == [
        'ALTER TABLE "books" ALTER COLUMN "title" SET DATA TYPE VARCHAR(300)'
        ' USING ("title"::VARCHAR(300))'
    ]
    assert (await columns(conn, pg_schema, "books"))["title"][0] == "character varying(300)"
    assert await conn.fetchval("SELECT count(*) FROM books") == 2


async def test_relation_actions_change(datamodel_of: DatamodelOf, target: Target) -> None:
    executed = await _edit(
        datamodel_of, target, "references: [id])", "references: [id], onDelete: Cascade)"
    )

    assert executed == [
        'ALTER TABLE "books" DROP CONSTRAINT "books_author_id_fkey"',
        'ALTER TABLE "books" ADD CONSTRAINT "books_author_id_fkey" FOREIGN KEY ("author_id") '
        'REFERENCES "authors"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    ]


REFERENCED_UNIQUE = """
model Shelf {
  id    Int    @id
  code  String @unique
  items Item[]
}

model Item {
  id        Int    @id
  shelfCode String
  shelf     Shelf  @relation(fields: [shelfCode], references: [code])
}
"""


async def test_rebuilding_a_referenced_unique_index_rebuilds_its_foreign_keys(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(REFERENCED_UNIQUE), target)
    await conn.execute(
        """INSERT INTO "Shelf" VALUES (1, 'A'); INSERT INTO "Item" VALUES (1, 'A')"""
    )
    renamed = REFERENCED_UNIQUE.replace("@unique", '@unique(map: "shelf_code_uq")')

    result, _ = await run_push(datamodel_of(renamed), target)

    # The new index is built first, outside the transaction; the key that relies on the old
    # one is dropped and added back inside it, so no moment (or failure) leaves it missing.
    assert result.executed == [
        'CREATE UNIQUE INDEX CONCURRENTLY "shelf_code_uq" ON "Shelf" ("code")',
        'ALTER TABLE "Item" DROP CONSTRAINT "Item_shelfCode_fkey"',
        'DROP INDEX "Shelf_code_key"',
        'ALTER TABLE "Item" ADD CONSTRAINT "Item_shelfCode_fkey" FOREIGN KEY ("shelfCode") '
        'REFERENCES "Shelf"("code") ON DELETE RESTRICT ON UPDATE CASCADE',
    ]
    assert "shelf_code_uq" in await index_defs(conn, pg_schema)
    again, _ = await run_push(datamodel_of(renamed), target)
    assert again.executed == []


async def test_an_index_in_the_way_of_the_schemas_name_is_replaced(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(books()), target)
    await conn.execute('CREATE INDEX "books_title_idx" ON books (lower(title))')

    result, _ = await run_push(
        datamodel_of(books('@@map("books")', '@@index([title])\n  @@map("books")')), target
    )

    assert result.executed == [
        'DROP INDEX "books_title_idx"',
        'CREATE INDEX "books_title_idx" ON "books" ("title")',
    ]
    assert (await index_defs(conn, pg_schema))["books_title_idx"].endswith("btree (title)")
