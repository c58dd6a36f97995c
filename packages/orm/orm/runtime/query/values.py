"""Turning input values into database parameters, checked against the field's type.

Every value a user passes is checked here before any SQL exists, so a wrong type becomes an
`InputError` naming `Model.field` rather than a database error. Parameters come out in the form
asyncpg takes without codecs: JSON as text (cast to `jsonb` in SQL), bytes, naive UTC datetimes.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import NoReturn

from sqlalchemy import BigInteger, ColumnElement, Float, Text, bindparam, cast
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.types import TypeEngine

from orm.runtime.errors import InputError
from orm.runtime.fields import Base64, Json
from orm.runtime.query.structure import ModelMeta, ScalarField
from orm.runtime.types import JsonValue

__all__ = [
    "array_param",
    "bound",
    "converted",
    "db_value",
    "param",
    "scalar_param",
    "utc_now",
]


def _string(v: JsonValue) -> JsonValue:
    if isinstance(v, str):
        return v
    raise TypeError


def _int(v: JsonValue) -> JsonValue:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    raise TypeError


def _float(v: JsonValue) -> JsonValue:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    raise TypeError


def _decimal(v: JsonValue) -> JsonValue:
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int | float | str) and not isinstance(v, bool):
        try:
            return Decimal(str(v))
        except InvalidOperation:
            raise TypeError from None
    raise TypeError


def _bool(v: JsonValue) -> JsonValue:
    if isinstance(v, bool):
        return v
    raise TypeError


def utc_now() -> datetime:
    """Now as `_datetime` makes it (naive UTC, whole milliseconds), in one step."""
    return _EPOCH + timedelta(milliseconds=time.time_ns() // 1_000_000)


_EPOCH = datetime(1970, 1, 1)


def _datetime(v: JsonValue) -> JsonValue:
    """A naive UTC datetime truncated to milliseconds, as Prisma stores and compares them: a
    filter with the microseconds of the value that was written still finds its row."""
    if type(v) is datetime:  # the common case first: no `replace` (slow) when there's no need
        if v.tzinfo is not None:
            v = v.astimezone(UTC).replace(tzinfo=None)
        extra = v.microsecond % 1000
        return v - timedelta(microseconds=extra) if extra else v
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v)
        except ValueError:
            raise TypeError from None
    if isinstance(v, datetime):
        v = v.astimezone(UTC).replace(tzinfo=None) if v.tzinfo else v
        return v.replace(microsecond=v.microsecond - v.microsecond % 1000)
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    raise TypeError


class _NotJsonError(Exception):
    """json.dumps refused the value: a TypeError for the caller, as in prisma-client-py."""


def _unserializable(obj: object) -> NoReturn:
    # prisma-client-py's wording: "Type <class 'x.Y'> not serializable" (a class names itself)
    raise _NotJsonError(f"Type {obj if inspect.isclass(obj) else type(obj)} not serializable")


def _json(v: JsonValue) -> JsonValue:
    data = v.data if isinstance(v, Json) else v
    try:
        return json.dumps(data, default=_unserializable)
    except (TypeError, ValueError) as exc:
        raise _NotJsonError(str(exc)) from None


def _bytes(v: JsonValue) -> JsonValue:
    if isinstance(v, Base64):
        return v.decode()
    if isinstance(v, bytes | bytearray):
        return bytes(v)
    raise TypeError


_CHECKS: dict[str, Callable[[JsonValue], JsonValue]] = {
    "String": _string,
    "Int": _int,
    "BigInt": _int,
    "Float": _float,
    "Decimal": _decimal,
    "Boolean": _bool,
    "DateTime": _datetime,
    "Json": _json,
    "Bytes": _bytes,
}

_EXPECTED = {
    "String": "a str",
    "Int": "an int",
    "BigInt": "an int",
    "Float": "a float or int",
    "Decimal": "a Decimal, int, float or numeric str",
    "Boolean": "a bool",
    "DateTime": "a datetime",
    "Json": "a JSON-serialisable value (wrap it in Json(...))",
    "Bytes": "Base64 or bytes",
}


def _type_error(
    model: ModelMeta, field: ScalarField, value: JsonValue, expected: str
) -> InputError:
    return InputError(
        f"{model.name}.{field.name} expects {expected}, got {type(value).__name__} {value!r}.",
        model=model.name,
        field=field.name,
    )


def db_value(model: ModelMeta, field: ScalarField, value: JsonValue) -> JsonValue:
    """One element (not a list) as a database parameter, or InputError."""
    if field.is_enum:
        return _enum_value(model, field, value)
    try:
        return _CHECKS[field.type](value)
    except TypeError:
        raise _type_error(model, field, value, _EXPECTED[field.type]) from None
    except _NotJsonError as exc:
        raise TypeError(f"{model.name}.{field.name}: {exc}") from None


def _enum_value(model: ModelMeta, field: ScalarField, value: JsonValue) -> str:
    """A member (or its name) → the value stored for it (`@map`, else the name)."""
    raw = value.name if isinstance(value, Enum) else value
    db_values = field.enum.db_values if field.enum is not None else {}
    if isinstance(raw, str):
        stored = db_values.get(raw)
        if stored is not None:
            return stored
    names = ", ".join(db_values)
    raise _type_error(model, field, value, f"one of the {field.type} values ({names})")


def list_value(model: ModelMeta, field: ScalarField, value: JsonValue) -> list[JsonValue]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise _type_error(model, field, value, f"a list of {field.type}")
    return [db_value(model, field, v) for v in value]  # pyright: ignore[reportUnknownVariableType]


def scalar_param(
    model: ModelMeta, field: ScalarField, value: JsonValue
) -> ColumnElement[JsonValue]:
    """A bound parameter for one element of `field`, typed like its column."""
    converted = db_value(model, field, value)
    if field.type == "Json":
        return cast(bindparam(None, converted, type_=Text), JSONB)
    return bindparam(None, converted, type_=_element_type(model, field))


def converted(model: ModelMeta, field: ScalarField, value: JsonValue) -> JsonValue:
    """A whole value of `field` (a list for list fields) as a database parameter."""
    return list_value(model, field, value) if field.is_list else db_value(model, field, value)


def bound(model: ModelMeta, field: ScalarField, value: JsonValue) -> ColumnElement[JsonValue]:
    """A bound parameter for a value `converted` already produced."""
    if field.is_list and field.type == "Json":  # elements are JSON text already
        return cast(bindparam(None, value, type_=ARRAY(Text)), ARRAY(JSONB))
    if field.is_list:
        return bindparam(None, value, type_=model.columns[field.name].type)
    if field.type == "Json":
        return cast(bindparam(None, value, type_=Text), JSONB)
    return bindparam(None, value, type_=_element_type(model, field))


def param(model: ModelMeta, field: ScalarField, value: JsonValue) -> ColumnElement[JsonValue]:
    """A bound parameter for a whole value of `field` (a list for list fields)."""
    return bound(model, field, converted(model, field, value))


def array_param(
    model: ModelMeta, field: ScalarField, values: JsonValue
) -> ColumnElement[JsonValue]:
    """An array parameter of elements of `field` (for `= ANY(...)`, `&&`, `@>`)."""
    items = list_value(model, field, values)
    if field.type == "Json":
        return cast(bindparam(None, items, type_=ARRAY(Text)), ARRAY(JSONB))
    return bindparam(None, items, type_=ARRAY(_element_type(model, field)))


_AGGREGATE_TYPES: dict[str, TypeEngine[JsonValue]] = {"Int": BigInteger(), "Float": Float()}


def _element_type(model: ModelMeta, field: ScalarField) -> TypeEngine[JsonValue]:
    column = model.columns.get(field.name)
    if column is None:  # an aggregate of a field (`_count(email)`), typed by its result
        return _AGGREGATE_TYPES[field.type]
    col_type: TypeEngine[JsonValue] = column.type
    if field.is_list and isinstance(col_type, ARRAY):
        return col_type.item_type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return col_type
