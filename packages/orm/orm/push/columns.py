"""A DMMF scalar field as a PostgreSQL column, exactly as Prisma's migrate would create it.

Types: String→TEXT, Int→INTEGER, BigInt→BIGINT, Float→DOUBLE PRECISION, Decimal→DECIMAL(65,30),
Boolean→BOOLEAN, DateTime→TIMESTAMP(3), Json→JSONB, Bytes→BYTEA, enums→their own type, lists→
arrays; `@db.*` native types win. Defaults: `now()`→CURRENT_TIMESTAMP, `autoincrement()`→SERIAL
(BIGSERIAL, SMALLSERIAL), `dbgenerated("x")`→x, literals as literals; `cuid()`, `uuid()`,
`nanoid()` and `ulid()` are filled in by the client and leave the column without a default.
"""

from __future__ import annotations

import base64
from typing import cast

from orm.push.dmmf import Datamodel, DmmfField, JsonValue
from orm.push.model import Column, ColumnType
from orm.push.names import literal, quote

__all__ = ["column_for", "column_type", "render_default"]

_SCALARS: dict[str, tuple[str, str]] = {
    "String": ("TEXT", "text"),
    "Int": ("INTEGER", "integer"),
    "BigInt": ("BIGINT", "bigint"),
    "Float": ("DOUBLE PRECISION", "double precision"),
    "Decimal": ("DECIMAL(65,30)", "numeric(65,30)"),
    "Boolean": ("BOOLEAN", "boolean"),
    "DateTime": ("TIMESTAMP(3)", "timestamp(3) without time zone"),
    "Json": ("JSONB", "jsonb"),
    "Bytes": ("BYTEA", "bytea"),
}

# @db.<Name>: (DDL keyword, format_type() spelling, suffix format_type() puts after the args)
_NATIVE: dict[str, tuple[str, str, str]] = {
    "Text": ("TEXT", "text", ""),
    "Char": ("CHAR", "character", ""),
    "VarChar": ("VARCHAR", "character varying", ""),
    "Bit": ("BIT", "bit", ""),
    "VarBit": ("VARBIT", "bit varying", ""),
    "Uuid": ("UUID", "uuid", ""),
    "Xml": ("XML", "xml", ""),
    "Inet": ("INET", "inet", ""),
    "Citext": ("CITEXT", "citext", ""),
    "Boolean": ("BOOLEAN", "boolean", ""),
    "Integer": ("INTEGER", "integer", ""),
    "SmallInt": ("SMALLINT", "smallint", ""),
    "BigInt": ("BIGINT", "bigint", ""),
    "Oid": ("OID", "oid", ""),
    "DoublePrecision": ("DOUBLE PRECISION", "double precision", ""),
    "Real": ("REAL", "real", ""),
    "Decimal": ("DECIMAL", "numeric", ""),
    "Money": ("MONEY", "money", ""),
    "Date": ("DATE", "date", ""),
    "Json": ("JSON", "json", ""),
    "JsonB": ("JSONB", "jsonb", ""),
    "ByteA": ("BYTEA", "bytea", ""),
    "Timestamp": ("TIMESTAMP", "timestamp", " without time zone"),
    "Timestamptz": ("TIMESTAMPTZ", "timestamp", " with time zone"),
    "Time": ("TIME", "time", " without time zone"),
    "Timetz": ("TIMETZ", "time", " with time zone"),
}
_ONE_BY_DEFAULT = {"Char", "Bit"}  # CHAR means CHAR(1), BIT means BIT(1)
_SERIAL = {"integer": "SERIAL", "bigint": "BIGSERIAL", "smallint": "SMALLSERIAL"}
_NUMERIC = {"Int", "BigInt", "Float", "Decimal"}


def column_type(field: DmmfField, datamodel: Datamodel) -> ColumnType:
    if field.kind == "enum":
        name = datamodel.enum(field.type).db_name
        return ColumnType(quote(name), f"enum:{name}", field.is_list)
    if field.native_type is not None:
        native, args = field.native_type
        ddl, canon, suffix = _NATIVE[native]
        if not args and native in _ONE_BY_DEFAULT:
            args = ("1",)
        rendered = f"({','.join(args)})" if args else ""
        return ColumnType(ddl + rendered, canon + rendered + suffix, field.is_list)
    ddl, canon = _SCALARS[field.type]
    return ColumnType(ddl, canon, field.is_list)


def _scalar_literal(value: JsonValue, field: DmmfField, datamodel: Datamodel) -> str:
    if field.kind == "enum":
        return literal(datamodel.enum(field.type).db_value(str(value)))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) or field.type in _NUMERIC:
        return str(value)
    if field.type == "Bytes":
        return literal("\\x" + base64.b64decode(str(value)).hex())
    return literal(str(value))


def render_default(field: DmmfField, datamodel: Datamodel, type_: ColumnType) -> str | None:
    """The SQL DEFAULT expression, or None when the database holds no default."""
    value = field.default
    if not field.has_default or value is None:
        return None
    if isinstance(value, dict):
        call = cast(dict[str, JsonValue], value)
        function = str(call.get("name"))
        args: list[JsonValue] = list(call.get("args") or [])
        if function == "now":
            return "CURRENT_TIMESTAMP"
        if function == "dbgenerated" and args:
            return str(args[0])
        return None  # autoincrement (SERIAL), client-side ids, dbgenerated() without SQL
    if isinstance(value, list):
        items = ", ".join(
            _scalar_literal(v, field, datamodel) for v in cast(list[JsonValue], value)
        )
        return f"ARRAY[{items}]::{type_.sql}"
    return _scalar_literal(value, field, datamodel)


def _default_function(field: DmmfField) -> str | None:
    value: JsonValue = field.default
    if not field.has_default or not isinstance(value, dict):
        return None
    return str(cast(dict[str, JsonValue], value).get("name"))


def column_for(field: DmmfField, datamodel: Datamodel) -> Column:
    type_ = column_type(field, datamodel)
    function = _default_function(field)
    autoincrement = function == "autoincrement"
    if autoincrement and type_.canon in _SERIAL:
        type_ = ColumnType(_SERIAL[type_.canon], type_.canon, type_.is_list)
    return Column(
        name=field.db_name,
        type=type_,
        nullable=field.is_list or not field.is_required,
        default=render_default(field, datamodel, type_),
        autoincrement=autoincrement,
    )
