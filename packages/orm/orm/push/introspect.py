"""What one PostgreSQL schema holds, read from pg_catalog, in the shape of `orm.push.model`.

Objects that SQL files created (recorded in `_orm_sql_objects`, see `orm.push.sqlfiles`),
the bookkeeping tables themselves, and indexes Prisma cannot express (expressions, predicates,
INCLUDE columns) are left out, so `db push` never treats them as drift.
"""

from __future__ import annotations

from orm.push.db import Connection, Record
from orm.push.model import (
    Column,
    ColumnType,
    DbSchema,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Table,
)
from orm.push.names import TEMP_INDEX_SUFFIX

__all__ = ["BOOKKEEPING_TABLES", "introspect", "owned_objects"]

BOOKKEEPING_TABLES = frozenset(
    {"_orm_push_state", "_orm_sql_files", "_orm_sql_objects", "_prisma_migrations"}
)
_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_NS = "(SELECT oid FROM pg_namespace WHERE nspname = $1)"
# Tables and types an extension owns (PostGIS's spatial_ref_sys, ...) are the extension's business.
_NOT_EXTENSION = (
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass"
    " AND d.objid = {oid} AND d.deptype = 'e')"
)

ENUMS_SQL = f"""
SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
WHERE t.typnamespace = {_NS} AND {_NOT_EXTENSION.format(catalog="pg_type", oid="t.oid")}
GROUP BY t.typname ORDER BY t.typname
"""

TABLES_SQL = f"""
SELECT c.relname AS name FROM pg_class c
WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND {_NOT_EXTENSION.format(catalog="pg_class", oid="c.oid")}
ORDER BY c.relname
"""

# Columns by attrelid (an index lookup) rather than a join the planner may turn into a scan of
# all of pg_attribute: this runs again while the push holds its table locks.
COLUMNS_SQL = f"""
SELECT c.relname AS table_name, a.attname AS name, a.attnotnull AS not_null,
       (t.typcategory = 'A' AND t.typelem <> 0) AS is_list,
       format_type(a.atttypid, a.atttypmod) AS full_type,
       format_type(COALESCE(et.oid, t.oid), a.atttypmod) AS base_type,
       COALESCE(et.typtype, t.typtype) = 'e' AS is_enum,
       COALESCE(et.typname, t.typname) AS type_name,
       pg_get_expr(d.adbin, d.adrelid) AS default_sql,
       a.attidentity <> '' AS is_identity, a.attgenerated <> '' AS is_generated
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON t.typcategory = 'A' AND t.typelem <> 0 AND et.oid = t.typelem
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY (ARRAY(SELECT oid FROM pg_class WHERE relnamespace = {_NS}
                                AND relkind IN ('r', 'p')))
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""

CONSTRAINTS_SQL = f"""
SELECT con.conname AS name, c.relname AS table_name, con.contype::text AS kind,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
             ORDER BY k.i) AS columns,
       rc.relname AS ref_table,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
             ORDER BY k.i) AS ref_columns,
       con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
       (SELECT relname FROM pg_class WHERE oid = con.conindid) AS ref_index
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
WHERE c.relnamespace = {_NS} AND con.contype IN ('p', 'f')
ORDER BY c.relname, con.conname
"""

INDEXES_SQL = f"""
SELECT i.relname AS name, t.relname AS table_name, ix.indisunique AS is_unique,
       ix.indisvalid AND ix.indisready AS is_valid, am.amname AS method,
       (ix.indexprs IS NOT NULL OR ix.indpred IS NOT NULL
        OR ix.indnatts <> ix.indnkeyatts) AS is_custom,
       con.contype::text AS constraint_kind,
       ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
             ORDER BY k.i) AS columns,
       ARRAY(SELECT (o & 1) = 1 FROM unnest(ix.indoption::int2[]) WITH ORDINALITY k(o, i)
             ORDER BY k.i) AS descending,
       ARRAY(SELECT CASE WHEN opc.opcdefault THEN NULL ELSE opc.opcname END
             FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(o, i)
             JOIN pg_opclass opc ON opc.oid = k.o ORDER BY k.i) AS opclasses,
       ARRAY(SELECT opc.opcname FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(o, i)
             JOIN pg_opclass opc ON opc.oid = k.o ORDER BY k.i) AS opclass_names
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_am am ON am.oid = i.relam
LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
     AND con.contype IN ('p', 'u', 'x')
WHERE t.relnamespace = {_NS} AND t.relkind IN ('r', 'p')
ORDER BY i.relname
"""


async def owned_objects(conn: Connection, schema: str) -> set[tuple[str, str, str]]:
    """(kind, table, name) of every object a SQL file created; empty before any SQL file ran."""
    exists = await conn.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = {_NS}"
        " AND relname = '_orm_sql_objects')",
        schema,
    )
    if not exists:
        return set()
    rows = await conn.fetch(
        f'SELECT kind, table_name, name FROM "{schema.replace(chr(34), chr(34) * 2)}"'
        "._orm_sql_objects"
    )
    return {(str(r["kind"]), str(r["table_name"]), str(r["name"])) for r in rows}


def _column(row: Record) -> Column:
    if row["is_enum"]:
        type_ = ColumnType(row["base_type"], f"enum:{row['type_name']}", row["is_list"])
    else:
        base = str(row["base_type"]).removeprefix("public.")
        type_ = ColumnType(base, base, row["is_list"])
    default: str | None = row["default_sql"]
    autoincrement = bool(row["is_identity"]) or (default or "").startswith("nextval(")
    return Column(
        name=row["name"],
        type=type_,
        nullable=not row["not_null"],
        default=None if autoincrement else default,
        autoincrement=autoincrement,
    )


async def _tables(
    conn: Connection, schema: str, owned: set[tuple[str, str, str]]
) -> dict[str, Table]:
    names = [
        r["name"]
        for r in await conn.fetch(TABLES_SQL, schema)
        if r["name"] not in BOOKKEEPING_TABLES and ("table", r["name"], r["name"]) not in owned
    ]
    columns: dict[str, list[Column]] = {name: [] for name in names}
    for row in await conn.fetch(COLUMNS_SQL, schema):
        table, name = row["table_name"], row["name"]
        if table in columns and ("column", table, name) not in owned and not row["is_generated"]:
            columns[table].append(_column(row))
    return {name: Table(name, tuple(cols)) for name, cols in columns.items()}


def _index(row: Record) -> Index:
    names: list[str] = list(row["columns"])
    return Index(
        name=row["name"],
        table=row["table_name"],
        columns=tuple(
            IndexColumn(name, bool(desc), opclass, default_opclass)
            for name, desc, opclass, default_opclass in zip(
                names, row["descending"], row["opclasses"], row["opclass_names"], strict=False
            )
        ),
        unique=row["is_unique"],
        method=row["method"],
        valid=row["is_valid"],
        is_constraint=row["constraint_kind"] == "u",
    )


async def _constraints(
    conn: Connection, schema: str, db: DbSchema, *, owned: set[tuple[str, str, str]]
) -> None:
    for row in await conn.fetch(CONSTRAINTS_SQL, schema):
        table = db.tables.get(row["table_name"])
        if table is None or ("constraint", table.name, row["name"]) in owned:
            continue
        columns = tuple(row["columns"])
        if row["kind"] == "p":
            pk = PrimaryKey(row["name"], columns)
            db.tables[table.name] = Table(table.name, table.columns, pk)
        else:
            fk = ForeignKey(
                row["name"],
                table.name,
                columns,
                row["ref_table"],
                tuple(row["ref_columns"]),
                on_delete=_ACTIONS[row["on_delete"]],
                on_update=_ACTIONS[row["on_update"]],
                ref_index=row["ref_index"],
            )
            db.foreign_keys[(table.name, fk.name)] = fk


async def introspect(conn: Connection, schema: str) -> DbSchema:
    """The managed objects of `schema`, as `db push` would have created them."""
    owned = await owned_objects(conn, schema)
    db = DbSchema()
    for row in await conn.fetch(ENUMS_SQL, schema):
        if ("enum", "", row["name"]) not in owned:
            db.enums[row["name"]] = EnumType(row["name"], tuple(row["labels"]))
    db.tables = await _tables(conn, schema, owned)
    await _constraints(conn, schema, db, owned=owned)
    for row in await conn.fetch(INDEXES_SQL, schema):
        if row["constraint_kind"] in {"p", "x"} or row["table_name"] not in db.tables:
            continue
        if row["is_custom"] or ("index", row["table_name"], row["name"]) in owned:
            db.unmanaged_indexes[row["name"]] = row["table_name"]
        elif str(row["name"]).endswith(TEMP_INDEX_SUFFIX) and not row["constraint_kind"]:
            db.temp_indexes[row["name"]] = _index(row)
        else:
            db.indexes[row["name"]] = _index(row)
    return db
