"""Database-side steps around the bulk load: checks, truncation, index drop and rebuild, and the
finishing touches (sequences, materialized views, statistics)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seed.errors import DatabaseNotEmptyError, SchemaMissingError
from seed.pg import Connection

__all__ = [
    "SEEDED_TABLES",
    "SecondaryObjects",
    "drop_secondary",
    "ensure_empty",
    "ensure_tables",
    "finish",
    "restore_secondary",
    "truncate",
    "vacuum_analyze",
]

# Parents before children: the order of the load.
SEEDED_TABLES: Sequence[str] = (
    "users",
    "ai_models",
    "dreams",
    "ai_tests",
    "progress_logs",
    "projects",
    "project_likes",
    "project_collaborators",
    "project_files",
    "messages",
    "token_usage",
    "api_response_times",
)
_BIGINT_KEYS = ("token_usage", "api_response_times")


async def ensure_tables(conn: Connection, schema: str) -> None:
    found = await conn.fetch(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])",
        list(SEEDED_TABLES),
    )
    names = {str(row[0]) for row in found}
    missing = [t for t in SEEDED_TABLES if t not in names]
    if missing:
        raise SchemaMissingError(schema, missing)


async def ensure_empty(conn: Connection, schema: str) -> None:
    probes = " UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in SEEDED_TABLES
    )
    if filled := [str(row[0]) for row in await conn.fetch(probes)]:
        raise DatabaseNotEmptyError(schema, filled)


async def truncate(conn: Connection) -> None:
    await conn.execute(f"TRUNCATE {', '.join(SEEDED_TABLES)} RESTART IDENTITY CASCADE")


@dataclass(frozen=True, slots=True)
class SecondaryObjects:
    """What was dropped for the load: index and foreign-key definitions to recreate after."""

    indexes: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]


async def drop_secondary(conn: Connection) -> SecondaryObjects:
    """Drop every index not backing a constraint, and every foreign key, on the seeded tables.

    Loading into bare tables and building each index once afterwards (sorted, in bulk) is far
    faster than maintaining them row by row; foreign keys are re-validated by one join each.
    Everything runs in the caller's transaction, so a failed load brings them all back.
    """
    index_rows = await conn.fetch(
        "SELECT format('%I.%I', n.nspname, ic.relname), pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conindid = i.indexrelid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x'))",
        list(SEEDED_TABLES),
    )
    fk_rows = await conn.fetch(
        "SELECT format('%I.%I', n.nspname, t.relname), quote_ident(c.conname), "
        "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' "
        "AND n.nspname = current_schema() AND t.relname = ANY($1::text[])",
        list(SEEDED_TABLES),
    )
    fks = tuple((str(r[0]), str(r[1]), str(r[2])) for r in fk_rows)
    for table, name, _ in fks:
        await conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for row in index_rows:
        await conn.execute(f"DROP INDEX {row[0]}")
    return SecondaryObjects(tuple(str(r[1]) for r in index_rows), fks)


async def restore_secondary(conn: Connection, dropped: SecondaryObjects) -> None:
    for ddl in dropped.indexes:
        await conn.execute(ddl)
    for table, name, definition in dropped.foreign_keys:
        await conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


async def finish(conn: Connection) -> None:
    """Move the bigint sequences past the loaded ids; refresh every materialized view."""
    for table in _BIGINT_KEYS:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce(max(id), 0) + 1, false) FROM {table}"
        )
    views = await conn.fetch(
        "SELECT format('%I.%I', schemaname, matviewname) FROM pg_matviews "
        "WHERE schemaname = current_schema() ORDER BY matviewname"
    )
    for view in views:
        await conn.execute(f"REFRESH MATERIALIZED VIEW {view[0]}")


async def vacuum_analyze(conn: Connection) -> None:
    """Statistics for the planner and a visibility map for index-only scans (outside any
    transaction: VACUUM can't run inside one)."""
    views = await conn.fetch(
        "SELECT format('%I.%I', schemaname, matviewname) FROM pg_matviews "
        "WHERE schemaname = current_schema()"
    )
    targets = [*SEEDED_TABLES, *(str(v[0]) for v in views)]
    await conn.execute(f"VACUUM (ANALYZE) {', '.join(targets)}")
