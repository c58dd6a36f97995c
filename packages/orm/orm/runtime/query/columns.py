"""How a scalar column is selected, so rows come back as `query.hydrate` expects them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, FromClause, Text, cast, func, literal_column
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP

from orm.runtime.query.structure import ModelMeta, ScalarField
from orm.runtime.types import JsonValue

__all__ = ["labelled_columns", "read_expression"]

_UTC = literal_column("'UTC'", Text)


def labelled_columns(model: ModelMeta, table: FromClause) -> tuple[ColumnElement[JsonValue], ...]:
    """Every scalar column of `table` (the model's table or an alias) labelled by field name.

    Json columns are read as text so the result does not depend on the connection's codecs."""
    return tuple(read_expression(f, table.c[f.name]).label(f.name) for f in model.scalars.values())


def read_expression(field: ScalarField, col: ColumnElement[JsonValue]) -> ColumnElement[JsonValue]:
    """How a column is selected: Json as text (decoded here, whatever the connection's codecs),
    a `timestamp` as `timestamptz` in UTC so asyncpg hands back aware datetimes itself, a
    `numeric` without the trailing zeros of its column's scale (PostgreSQL 13+'s trim_scale:
    Decimal("1.5") from a Decimal(10, 2) column, as Prisma reads it, at no Python cost)."""
    if field.type == "Decimal" and not field.is_list:
        return func.trim_scale(col, type_=col.type)
    if field.type == "Json":
        return cast(col, ARRAY(Text)) if field.is_list else cast(col, Text)
    naive = field.native_type is None or field.native_type[0] == "Timestamp"
    if field.type == "DateTime" and naive and not field.is_list:
        return col.op("AT TIME ZONE", return_type=TIMESTAMP(timezone=True))(_UTC)
    return col
