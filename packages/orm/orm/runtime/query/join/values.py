"""How one scalar column is written into the JSON a join-strategy statement builds.

Two forms. `LOAD` (the result becomes model instances): values PostgreSQL's JSON would lose or
blur travel as strings (a Decimal as its trimmed text, bytes as base64) or in a fixed zone
(timestamps as naive UTC), and `decode.py` turns them back into what the batched strategy
returns. `OUTPUT` (JSON text for a caller that forwards bytes): the forms a JSON client expects
of a Prisma result: DateTime as `2024-05-01T12:00:00.123Z`, Decimal as a string without the
column's trailing zeros, Bytes as base64, enums by member name, Json embedded.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, Text, case, cast, func, literal, literal_column
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP

from orm.runtime.query.structure import ScalarField
from orm.runtime.types import JsonValue

__all__ = ["Form", "json_value"]

Form = Literal["load", "output"]
_UTC = literal_column("'UTC'", Text)
_ISO_MS = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'


def json_value(
    field: ScalarField, col: ColumnElement[JsonValue], form: Form
) -> ColumnElement[JsonValue]:
    """`col` as the value `json_build_object` should embed for `field`."""
    if field.is_list:
        return cast(col, ARRAY(Text)) if field.type == "Decimal" else col
    if field.type == "Decimal":
        return cast(func.trim_scale(col), Text)
    if field.type == "Bytes":
        return func.translate(func.encode(col, "base64"), literal("\n"), literal(""))
    if field.type == "DateTime":
        return _datetime(field, col, form)
    if field.is_enum and form == "output" and field.enum is not None:
        renamed = {stored: name for name, stored in field.enum.db_values.items() if stored != name}
        if renamed:
            return case(renamed, value=cast(col, Text), else_=cast(col, Text))
    return col


def _datetime(
    field: ScalarField, col: ColumnElement[JsonValue], form: Form
) -> ColumnElement[JsonValue]:
    native = field.native_type[0] if field.native_type else "Timestamp"
    if native not in ("Timestamp", "Timestamptz"):  # Date, Time: written as PostgreSQL does
        return col
    utc: ColumnElement[JsonValue] = (
        col if native == "Timestamp" else col.op("AT TIME ZONE", return_type=TIMESTAMP())(_UTC)
    )
    if form == "output":
        return func.to_char(utc, _ISO_MS)
    return utc
