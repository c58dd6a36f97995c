"""The SQL folder: versioned scripts for what the schema language can't say, applied after push.

Every `*.sql` file runs in name order. `_orm_sql_files` records each file's sha256, so a file
runs again only when its text changes; files should still be idempotent (`IF NOT EXISTS`,
`CREATE OR REPLACE`). A file runs in one transaction, unless it contains CONCURRENTLY; then its
statements run one by one. The objects a file creates (indexes, constraints, columns, tables,
enums) are recorded in `_orm_sql_objects`, so the next push does not take them for drift.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from orm.push.db import Connection
from orm.push.errors import SqlFileError
from orm.push.locking import LOCK_ERRORS, LockRetry
from orm.push.names import quote
from orm.push.sqlsplit import split_statements

__all__ = ["SqlFile", "apply_sql_files", "pending_sql_files"]

_NS = "(SELECT oid FROM pg_namespace WHERE nspname = $1)"
_BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS _orm_sql_files (name TEXT PRIMARY KEY, checksum TEXT NOT NULL,"
    " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS _orm_sql_objects (kind TEXT NOT NULL, table_name TEXT NOT NULL,"
    " name TEXT NOT NULL, file TEXT NOT NULL, PRIMARY KEY (kind, table_name, name))",
)
SNAPSHOT_SQL = f"""
SELECT 'table' AS kind, c.relname AS table_name, c.relname AS name FROM pg_class c
 WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'column', c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'index', t.relname, i.relname FROM pg_index x
 JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
 WHERE t.relnamespace = {_NS}
UNION ALL
SELECT 'constraint', c.relname, con.conname FROM pg_constraint con
 JOIN pg_class c ON c.oid = con.conrelid
 WHERE c.relnamespace = {_NS} AND con.contype IN ('p', 'u', 'f')
UNION ALL
SELECT 'enum', '', t.typname FROM pg_type t WHERE t.typnamespace = {_NS} AND t.typtype = 'e'
"""

Objects = set[tuple[str, str, str]]


@dataclass(frozen=True)
class SqlFile:
    path: Path
    checksum: str
    status: str  # new | changed | unchanged


def _checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def _bookkeeping_exists(conn: Connection, schema: str) -> bool:
    found = await conn.fetchval(
        f"SELECT count(*) FROM pg_class WHERE relnamespace = {_NS}"
        " AND relname IN ('_orm_sql_files', '_orm_sql_objects')",
        schema,
    )
    return found == 2


def _sql_paths(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("*.sql"))


async def pending_sql_files(conn: Connection, schema: str, folder: Path | None) -> list[SqlFile]:
    """Every SQL file in `folder`, in name order, with whether it needs to run."""
    paths = _sql_paths(folder)
    if not paths:
        return []
    applied: dict[str, str] = {}
    if await _bookkeeping_exists(conn, schema):
        rows = await conn.fetch("SELECT name, checksum FROM _orm_sql_files")
        applied = {r["name"]: r["checksum"] for r in rows}
    files: list[SqlFile] = []
    for path in paths:
        checksum = _checksum(path)
        known = applied.get(path.name)
        status = "new" if known is None else "unchanged" if known == checksum else "changed"
        files.append(SqlFile(path, checksum, status))
    return files


async def _snapshot(conn: Connection, schema: str) -> Objects:
    rows = await conn.fetch(SNAPSHOT_SQL, schema)
    return {(r["kind"], r["table_name"], r["name"]) for r in rows}


async def _run(conn: Connection, script: str) -> None:
    if "CONCURRENTLY" not in script.upper():
        async with conn.transaction():
            await conn.execute(script)
        return
    for statement in split_statements(script):
        await conn.execute(statement)


async def _record(conn: Connection, file: SqlFile, owned: Objects, *, done: bool = True) -> None:
    """Stores what `file` owns; `done` also stores its checksum so it won't run again."""
    async with conn.transaction():
        await conn.execute("DELETE FROM _orm_sql_objects WHERE file = $1", file.path.name)
        await conn.executemany(
            "INSERT INTO _orm_sql_objects (kind, table_name, name, file) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (kind, table_name, name) DO UPDATE SET file = EXCLUDED.file",
            [(*obj, file.path.name) for obj in sorted(owned)],
        )
        if done:
            await conn.execute(
                "INSERT INTO _orm_sql_files (name, checksum) VALUES ($1, $2) ON CONFLICT (name)"
                " DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()",
                file.path.name,
                file.checksum,
            )


async def _previously_owned(conn: Connection, name: str) -> Objects:
    rows = await conn.fetch(
        "SELECT kind, table_name, name FROM _orm_sql_objects WHERE file = $1", name
    )
    return {(r["kind"], r["table_name"], r["name"]) for r in rows}


async def _drop_invalid_indexes(conn: Connection, schema: str, owned: Objects) -> None:
    """A concurrent build that failed last time left an INVALID index; `IF NOT EXISTS` would
    keep it forever, so it goes before the file runs again."""
    names = [name for kind, _, name in owned if kind == "index"]
    rows = await conn.fetch(
        "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        f" WHERE i.relnamespace = {_NS} AND NOT x.indisvalid AND i.relname = ANY($2::text[])",
        schema,
        names,
    )
    for row in rows:
        await conn.execute(f"DROP INDEX IF EXISTS {quote(row['relname'])}")


async def _apply_one(conn: Connection, schema: str, file: SqlFile) -> None:
    kept = await _previously_owned(conn, file.path.name)
    await _drop_invalid_indexes(conn, schema, kept)
    before = await _snapshot(conn, schema)
    try:
        await _run(conn, file.path.read_text())
    except asyncpg.PostgresError as error:
        # A file run statement by statement may have created some objects before failing.
        after = await _snapshot(conn, schema)
        await _record(conn, file, (after - before) | (kept & after), done=False)
        if isinstance(error, LOCK_ERRORS):
            raise  # the caller waits and runs the file again
        raise SqlFileError(
            f"SQL file {file.path.name} failed: {error}. Fix the file and run db push again; "
            "the schema changes (and the SQL files before this one) are applied."
        ) from error
    after = await _snapshot(conn, schema)
    await _record(conn, file, (after - before) | (kept & after))


async def apply_sql_files(
    conn: Connection, schema: str, files: list[SqlFile], *, retry: LockRetry
) -> None:
    """Runs the files that are new or changed, with `public` on the search path for extensions.

    A file that times out waiting for a lock runs again (they are written to be idempotent)."""
    todo = [f for f in files if f.status != "unchanged"]
    if not todo:
        return
    if not await _bookkeeping_exists(conn, schema):
        for statement in _BOOKKEEPING:
            await conn.execute(statement)
    path = ", ".join(quote(s) for s in dict.fromkeys([schema, "public"]))
    await conn.execute(f"SET search_path TO {path}")
    try:
        for file in todo:
            await retry.checkpoint(f"sql_file:{file.path.name}")
            await retry.run(
                lambda file=file: _apply_one(conn, schema, file), what=f"SQL file {file.path.name}"
            )
    finally:
        await conn.execute(f"SET search_path TO {quote(schema)}")
