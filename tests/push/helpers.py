"""Helpers shared by the push tests: running a push, and reading the catalog back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from orm.push.db import Connection
from orm.push.dmmf import JsonValue
from orm.push.runner import PushOptions, PushResult, push
from orm.push.target import Target

__all__ = [
    "BOOKS",
    "HEADER",
    "books",
    "catalog_fingerprint",
    "columns",
    "fake_client",
    "index_defs",
    "run_push",
    "seed_books",
]

HEADER = 'datasource db {\n  provider = "postgresql"\n}\n\n'

_NS = "(SELECT oid FROM pg_namespace WHERE nspname = $1)"
_RELS = f"(SELECT oid FROM pg_class WHERE relnamespace = {_NS})"
FINGERPRINT_SQL = f"""
SELECT string_agg(entry, ' ' ORDER BY entry) FROM (
  SELECT 'class:' || oid || ':' || xmin AS entry FROM pg_class WHERE relnamespace = {_NS}
  UNION ALL SELECT 'att:' || attrelid || '.' || attnum || ':' || xmin
    FROM pg_attribute WHERE attrelid IN {_RELS}
  UNION ALL SELECT 'def:' || oid || ':' || xmin FROM pg_attrdef WHERE adrelid IN {_RELS}
  UNION ALL SELECT 'idx:' || indexrelid || ':' || xmin FROM pg_index WHERE indrelid IN {_RELS}
  UNION ALL SELECT 'con:' || oid || ':' || xmin FROM pg_constraint WHERE connamespace = {_NS}
  UNION ALL SELECT 'type:' || oid || ':' || xmin FROM pg_type WHERE typnamespace = {_NS}
  UNION ALL SELECT 'enum:' || e.oid || ':' || e.xmin FROM pg_enum e
    JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typnamespace = {_NS}
) AS entries
"""


async def run_push(
    datamodel: dict[str, JsonValue],
    target: Target,
    *,
    accept_data_loss: bool = False,
    force_reset: bool = False,
    dry_run: bool = False,
    sql_dir: Path | None = None,
    **more: object,
) -> tuple[PushResult, str]:
    """Push and return the result with everything the push printed. `more` sets any other
    `PushOptions` field (`drop_unknown`, `lock`, `checkpoint`, ...)."""
    lines: list[str] = []
    options = PushOptions(
        accept_data_loss=accept_data_loss,
        force_reset=force_reset,
        dry_run=dry_run,
        sql_dir=sql_dir,
        source="schema.prisma",
    )
    options = replace(options, **more)
    result = await push(datamodel, target, options, out=lines.append)
    return result, "\n".join(lines)


def fake_client(folder: Path, datamodel: dict[str, JsonValue]) -> Path:
    """A package `fakeclient` in `folder` whose `_schema` holds `datamodel`, as a generated
    client's does (for `db push --from-client fakeclient`); returns `folder`."""
    package = folder / "fakeclient"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "_schema.py").write_text(
        f"import json\nDATAMODEL = json.loads({json.dumps(json.dumps(datamodel))})\n"
    )
    return folder


async def catalog_fingerprint(conn: Connection, schema: str) -> str:
    """Changes whenever any DDL touches `schema` (every catalog row written gets a new xmin)."""
    return str(await conn.fetchval(FINGERPRINT_SQL, schema))


async def index_defs(conn: Connection, schema: str) -> dict[str, str]:
    """index name → pg_get_indexdef, as `pg_indexes` reports it (not db push's bookkeeping)."""
    rows = await conn.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1"
        " AND tablename NOT LIKE '\\_orm\\_%'",
        schema,
    )
    return {str(r["indexname"]): str(r["indexdef"]) for r in rows}


async def columns(
    conn: Connection, schema: str, table: str
) -> dict[str, tuple[str, bool, str | None]]:
    """column → (format_type, nullable, default) of `table`."""
    rows = await conn.fetch(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type,
               NOT a.attnotnull AS nullable,
               pg_get_expr(d.adbin, d.adrelid) AS default_sql
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
          AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        """,
        schema,
        table,
    )
    return {
        str(r["attname"]): (str(r["type"]), bool(r["nullable"]), r["default_sql"]) for r in rows
    }


BOOKS = """
enum Status {
  DRAFT
  LIVE
}

model Author {
  id    Int    @id @default(autoincrement())
  name  String
  books Book[]

  @@map("authors")
}

model Book {
  id        Int      @id @default(autoincrement())
  title     String   @db.VarChar(200)
  status    Status   @default(DRAFT)
  authorId  Int      @map("author_id")
  author    Author   @relation(fields: [authorId], references: [id])
  createdAt DateTime @default(now()) @map("created_at")

  @@index([authorId, createdAt])
  @@map("books")
}

model Note {
  id   Int     @id @default(autoincrement())
  body String?

  @@map("notes")
}
"""
"""A small schema the edit, safety and concurrency tests change one thing at a time."""


def books(old: str = "", new: str = "") -> str:
    """`BOOKS` with `old` replaced by `new` (which must change something)."""
    if not old:
        return BOOKS
    assert old in BOOKS, old
    return BOOKS.replace(old, new)


async def seed_books(conn: Connection) -> None:
    await conn.execute(
        "INSERT INTO authors (name) VALUES ('Ursula');"
        "INSERT INTO books (title, author_id) VALUES ('The Dispossessed', 1), ('Lavinia', 1);"
        "INSERT INTO notes (body) VALUES ('keep me')"
    )
