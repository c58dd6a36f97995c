"""The scalar part of write data → column values (SQL expressions), checked per field.

`create_values` fills client-side defaults (cuid(), uuid(), now(), @updatedAt, empty lists);
`update_values` turns `{"views": {"increment": 1}}` and `{"tags": {"push": "x"}}` into
expressions on the current column value.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, FromClause, func

from orm.runtime.errors import FieldNotFoundError, InputError, MissingRequiredValueError
from orm.runtime.fields import Json
from orm.runtime.ids import cuid
from orm.runtime.query.shapes import is_mapping, listed
from orm.runtime.query.structure import ModelMeta, ScalarField
from orm.runtime.query.values import array_param, bound, converted, param, utc_now
from orm.runtime.types import JsonValue

__all__ = ["create_params", "create_values", "split_data", "update_values"]

Expr = ColumnElement[JsonValue]
Data = Mapping[str, JsonValue]

_NUMBER_OPS = ("set", "increment", "decrement", "multiply", "divide")
_NUMERIC = {"Int", "BigInt", "Float", "Decimal"}


def split_data(
    model: ModelMeta, data: Data, where: str
) -> tuple[dict[str, JsonValue], dict[str, JsonValue]]:
    """(scalar values, relation writes); unknown keys raise FieldNotFoundError."""
    if not is_mapping(data):
        raise InputError(
            f"{model.name}: `data` must be a dict, got {type(data).__name__}.", model=model.name
        )
    scalars: dict[str, JsonValue] = {}
    relations: dict[str, JsonValue] = {}
    for key, value in data.items():
        if key in model.scalars:
            scalars[key] = value
        elif key in model.relations:
            relations[key] = value
        else:
            raise FieldNotFoundError(model.name, key, where)
    return scalars, relations


def _check_null(model: ModelMeta, field: ScalarField, value: JsonValue) -> None:
    # prisma-client-py raises MissingRequiredValueError (P2012) for `field: None` too
    if value is None and field.is_required and not field.is_list:
        raise MissingRequiredValueError(
            f"{model.name}.{field.name} is required and cannot be set to None.",
            model=model.name,
            field=field.name,
        )


def _value(model: ModelMeta, field: ScalarField, value: JsonValue) -> Expr | None:
    _check_null(model, field, value)
    return None if value is None else param(model, field, value)


def create_values(
    model: ModelMeta,
    scalars: Data,
    *,
    provided: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> dict[str, Expr | JsonValue | None]:
    """Insert values by field name. `provided` names FK fields a relation write will fill in."""
    raw = create_params(model, scalars, provided=provided, now=now)
    return {
        name: None if value is None else bound(model, model.scalars[name], value)
        for name, value in raw.items()
    }


def create_params(
    model: ModelMeta,
    scalars: Data,
    *,
    provided: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> dict[str, JsonValue]:
    """`create_values` before binding: each value converted (None for NULL)."""
    values: dict[str, JsonValue] = {}
    stamp = now or utc_now()
    for name, value in scalars.items():
        field = model.scalars[name]
        _check_null(model, field, value)
        values[name] = None if value is None else converted(model, field, value)
    fills = model.create_fills
    if fills is None:
        fills = model.create_fills = tuple(
            f
            for f in model.scalars.values()
            if f.client_default is not None or f.is_updated_at or f.needs_value
        )
    for field in fills:  # the others: NULL or the database's default when left out
        if field.name in values or field.name in provided:
            continue
        default = _client_default(field, stamp)
        if default is not None:
            values[field.name] = converted(model, field, default)
        elif field.needs_value:
            raise MissingRequiredValueError(
                f"{model.name}.{field.name} is required: pass a value for `{field.name}` in `data`"
                + _relation_hint(model, field),
                model=model.name,
                field=field.name,
            )
    return values


def _relation_hint(model: ModelMeta, field: ScalarField) -> str:
    for relation in model.relations.values():
        if relation.kind == "inline_here" and field.name in relation.local_fields:
            return f" or connect/create the relation `{relation.name}`."
    return "."


def _client_default(field: ScalarField, now: datetime) -> JsonValue:
    if field.client_default == "cuid":
        return cuid()
    if field.client_default == "uuid":
        return str(uuid.uuid4())
    if field.client_default == "now" or field.is_updated_at:
        return now
    return None  # an omitted list is NULL, as Prisma stores it (reads give [])


def update_values(model: ModelMeta, table: FromClause, scalars: Data) -> dict[str, Expr | None]:
    values: dict[str, Expr | None] = {}
    for name, value in scalars.items():
        field = model.scalars[name]
        # a dict for a Json field is its value, unless it is {"set": ...} (a list: always an op)
        if is_mapping(value) and (field.is_list or field.type != "Json" or _is_op(value)):
            values[name] = _update_op(model, field, table, value)
        else:
            values[name] = _value(model, field, value)
    if scalars:
        for field in model.scalars.values():
            if field.is_updated_at and field.name not in values:
                values[field.name] = param(model, field, utc_now())
    return values


def _is_op(value: Mapping[str, JsonValue]) -> bool:
    return len(value) == 1 and next(iter(value)) == "set" and not isinstance(value, Json)


def _update_op(
    model: ModelMeta, field: ScalarField, table: FromClause, ops: Mapping[str, JsonValue]
) -> Expr | None:
    if len(ops) != 1:
        # the engine's wording, which prisma-client-py users match on
        raise InputError(
            f"{model.name}.{field.name}: Expected exactly one field to be present, got "
            f"{len(ops)} ({', '.join(ops) or 'none'}); an update operation is one of: "
            f"{_allowed_ops(field)}.",
            model=model.name,
            field=field.name,
        )
    op, arg = next(iter(ops.items()))
    if op == "set":
        return _value(model, field, arg)
    col: Expr = table.c[field.name]
    if field.is_list and op == "push":
        items = listed(arg)
        return func.array_cat(col, array_param(model, field, items))
    if field.type in _NUMERIC and not field.is_list and op in _NUMBER_OPS:
        operand = param(model, field, arg)
        return {
            "increment": lambda: col + operand,
            "decrement": lambda: col - operand,
            "multiply": lambda: col * operand,
            "divide": lambda: col / operand,
        }[op]()
    raise _op_error(model, field, op)


def _allowed_ops(field: ScalarField) -> str:
    if field.is_list:
        return "set, push"
    if field.type in _NUMERIC:
        return ", ".join(_NUMBER_OPS)
    return "set"


def _op_error(model: ModelMeta, field: ScalarField, op: str) -> InputError:
    return InputError(
        f"`{op}` is not an update operation for {model.name}.{field.name}; "
        f"use one of: {_allowed_ops(field)}.",
        model=model.name,
        field=field.name,
    )
