"""SQL text for each kind of change, in the form Prisma's migrate writes it."""

from __future__ import annotations

from orm.push.model import Column, EnumType, ForeignKey, Index, Table
from orm.push.names import literal, quote

__all__ = [
    "add_column",
    "add_foreign_key",
    "column_definition",
    "create_enum",
    "create_index",
    "create_table",
    "drop_index",
    "plain_type",
]

_SERIALS = {"SERIAL": "INTEGER", "BIGSERIAL": "BIGINT", "SMALLSERIAL": "SMALLINT"}


def plain_type(column: Column) -> str:
    """The column's type without the SERIAL shorthand (for ALTER COLUMN ... TYPE)."""
    sql = column.type.sql
    return _SERIALS.get(sql, sql)


def column_definition(column: Column) -> str:
    parts = [quote(column.name), column.type.sql]
    if not column.nullable:
        parts.append("NOT NULL")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    return " ".join(parts)


def _columns(names: tuple[str, ...]) -> str:
    return ", ".join(quote(n) for n in names)


def create_table(table: Table) -> str:
    lines = [f"    {column_definition(c)}" for c in table.columns]
    if table.primary_key is not None:
        pk = table.primary_key
        lines.append(f"\n    CONSTRAINT {quote(pk.name)} PRIMARY KEY ({_columns(pk.columns)})")
    return f"CREATE TABLE {quote(table.name)} (\n" + ",\n".join(lines) + "\n)"


def add_column(table: str, column: Column) -> str:
    return f"ALTER TABLE {quote(table)} ADD COLUMN {column_definition(column)}"


def create_enum(enum: EnumType) -> str:
    values = ", ".join(literal(v) for v in enum.values)
    return f"CREATE TYPE {quote(enum.name)} AS ENUM ({values})"


def create_index(index: Index, *, concurrently: bool = False) -> str:
    keys: list[str] = []
    for column in index.columns:
        key = quote(column.name)
        if column.opclass:
            key += f" {column.opclass}"
        if column.descending:
            key += " DESC"
        keys.append(key)
    unique = "UNIQUE " if index.unique else ""
    how = "CONCURRENTLY " if concurrently else ""
    using = "" if index.method == "btree" else f" USING {index.method.upper()}"
    return (
        f"CREATE {unique}INDEX {how}{quote(index.name)} ON {quote(index.table)}{using}"
        f" ({', '.join(keys)})"
    )


def drop_index(index: Index) -> str:
    if index.is_constraint:
        return f"ALTER TABLE {quote(index.table)} DROP CONSTRAINT {quote(index.name)}"
    return f"DROP INDEX {quote(index.name)}"


def add_foreign_key(fk: ForeignKey) -> str:
    return (
        f"ALTER TABLE {quote(fk.table)} ADD CONSTRAINT {quote(fk.name)} FOREIGN KEY "
        f"({_columns(fk.columns)}) REFERENCES {quote(fk.ref_table)}({_columns(fk.ref_columns)})"
        f" ON DELETE {fk.on_delete} ON UPDATE {fk.on_update}"
    )
