"""Database names → the schema's model and field names, for error messages and raw rows.

Apart from `translate.py` (asyncpg's errors), so a client can be built without importing the
driver: `ClientCore` reads a `SchemaNames` at construction, the engine loads on `connect()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, cast

__all__ = ["ColumnNames", "Names", "SchemaNames"]


class Names(Protocol):
    """Database names → schema names."""

    def model(self, table: str | None) -> str | None: ...

    def field(self, model: str | None, column: str) -> str: ...


class ColumnNames:
    """Used until a schema can say better: tables and columns under their database names."""

    def model(self, table: str | None) -> str | None:
        return table

    def field(self, model: str | None, column: str) -> str:
        return column


class SchemaNames:
    """Names read from a `SchemaMeta` (`models[name].db_name`, `.scalars[field].column`).

    Read structurally so the engine depends on nothing but the schema object's existence; an
    unknown table or column keeps its database name.
    """

    def __init__(self, tables: dict[str, str], columns: dict[tuple[str, str], str]) -> None:
        self._tables = tables
        self._columns = columns

    @classmethod
    def from_schema(cls, schema: object) -> SchemaNames:
        tables: dict[str, str] = {}
        columns: dict[tuple[str, str], str] = {}
        models: object = getattr(schema, "models", None)
        if not isinstance(models, Mapping):
            return cls(tables, columns)
        for model in cast(Mapping[str, object], models).values():
            name: object = getattr(model, "name", None)
            table: object = getattr(model, "db_name", None)
            scalars: object = getattr(model, "scalars", None)
            if not (isinstance(name, str) and isinstance(table, str)):
                continue
            tables[table] = name
            if isinstance(scalars, Mapping):
                for field in cast(Mapping[str, object], scalars).values():
                    field_name: object = getattr(field, "name", None)
                    column: object = getattr(field, "column", None)
                    if isinstance(field_name, str) and isinstance(column, str):
                        columns[name, column] = field_name
        return cls(tables, columns)

    def model(self, table: str | None) -> str | None:
        return None if table is None else self._tables.get(table, table)

    def field(self, model: str | None, column: str) -> str:
        return self._columns.get((model or "", column), column)
