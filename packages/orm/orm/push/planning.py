"""Reading the database into a plan: the catalog, which tables hold rows, equal defaults, and
how much each risky change would lose."""

from __future__ import annotations

from orm.push.db import Connection
from orm.push.defaults import equal_by_value, normalise
from orm.push.diff import plan_push
from orm.push.introspect import introspect
from orm.push.model import Column, DbSchema
from orm.push.names import quote
from orm.push.plan import Plan, Risk
from orm.push.scope import DiffScope, ObjectKey

__all__ = ["build_plan", "count_losses"]


async def _populated(conn: Connection, tables: list[str]) -> frozenset[str]:
    if not tables:
        return frozenset()
    probes = ", ".join(
        f"({i}, EXISTS (SELECT 1 FROM {quote(name)}))" for i, name in enumerate(tables)
    )
    rows = await conn.fetch(f"SELECT i FROM (VALUES {probes}) AS p(i, has_rows) WHERE has_rows")
    return frozenset(tables[int(str(r["i"]))] for r in rows)


async def _equal_defaults(
    conn: Connection, wanted: DbSchema, actual: DbSchema
) -> set[tuple[str, str]]:
    """(table, column) pairs whose defaults differ as text but are the same value."""
    same: set[tuple[str, str]] = set()
    for name, table in wanted.tables.items():
        found_table = actual.tables.get(name)
        if found_table is None:
            continue
        for column in table.columns:
            found = found_table.column(column.name)
            if found is None or column.default is None or found.default is None:
                continue
            if normalise(column.default) == normalise(found.default):
                continue
            if await equal_by_value(conn, column.default, found.default, sql_type=found.type.sql):
                same.add((name, column.name))
    return same


async def build_plan(
    conn: Connection,
    schema: str,
    wanted: DbSchema,
    *,
    empty: bool,
    owned: frozenset[ObjectKey] | None,
    drop_unknown: bool,
    concurrent: bool,
) -> Plan:
    """Reads `schema` (or takes it as empty) and plans the change to `wanted`."""
    actual = DbSchema() if empty else await introspect(conn, schema)
    populated = await _populated(conn, [t for t in actual.tables if t in wanted.tables])
    equal = await _equal_defaults(conn, wanted, actual)

    def same_default(table: str, want: Column, found: Column) -> bool:
        assert want.default is not None
        assert found.default is not None
        return normalise(want.default) == normalise(found.default) or (table, want.name) in equal

    scope = DiffScope(populated, same_default, owned, drop_unknown, concurrent)
    return plan_push(wanted, actual, scope=scope)


async def count_losses(conn: Connection, risks: list[Risk]) -> list[tuple[Risk, int]]:
    found: list[tuple[Risk, int]] = []
    for risk in risks:
        count = int(await conn.fetchval(risk.count_sql))
        if count:
            found.append((risk, count))
    return found
