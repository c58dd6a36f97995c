"""Filters on one scalar column: `{"age": {"gte": 18}}`, `{"name": {"contains": "a", "mode":
"insensitive"}}`, `{"tags": {"has_some": [...]}}`; a bare value means `equals`, None means NULL."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

from sqlalchemy import ColumnElement, and_, any_, func, not_, true

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.fields import Base64, Json
from orm.runtime.query.json_filter import json_filter
from orm.runtime.query.search import matches
from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta, ScalarField
from orm.runtime.query.values import array_param, param, scalar_param
from orm.runtime.types import JsonValue

__all__ = ["scalar_filter"]

Bool = ColumnElement[bool]
Col = ColumnElement[JsonValue]

_COMPARABLE = {"String", "Int", "BigInt", "Float", "Decimal", "DateTime"}
_LIST_OPS = {"has", "has_some", "has_every", "is_empty", "equals"}


def scalar_filter(model: ModelMeta, field: ScalarField, col: Col, value: JsonValue) -> Bool:
    if value is None:
        return col.is_(None)
    if field.is_list:
        return _list_filter(model, field, col, value)
    if is_mapping(value) and not isinstance(value, Json | Base64 | Enum):
        ops: Mapping[str, JsonValue] = value
        if field.type == "Json" and not ops.keys() <= {"equals", "not", "in", "not_in"}:
            return json_filter(model, field, col, ops)
        insensitive = ops.get("mode") == "insensitive"
        parts = [
            _op(model, field, col, op, arg, insensitive) for op, arg in ops.items() if op != "mode"
        ]
        return and_(true(), *parts)
    return _equals(model, field, col, value, insensitive=False)


def _bad_op(model: ModelMeta, field: ScalarField, op: str) -> FieldNotFoundError:
    """prisma-client-py raises `FieldNotFoundError` for an unknown filter key too (the engine
    reports it as an unknown argument)."""
    return FieldNotFoundError(
        model.name,
        field.name,
        message=f"`{op}` is not a filter for {model.name}.{field.name} ({field.type}); "
        "use equals, not, in, not_in"
        + (", lt, lte, gt, gte" if field.type in _COMPARABLE else "")
        + (", contains, startswith, endswith, search, mode" if field.type == "String" else "")
        + ".",
    )


def _equals(
    model: ModelMeta, field: ScalarField, col: Col, value: JsonValue, *, insensitive: bool
) -> Bool:
    if value is None:
        return col.is_(None)
    if insensitive and field.type == "String":
        return func.lower(col) == func.lower(scalar_param(model, field, value))
    return col == scalar_param(model, field, value)


def _in(
    model: ModelMeta, field: ScalarField, col: Col, values: JsonValue, *, insensitive: bool
) -> Bool:
    if insensitive and field.type == "String":
        lowered = [v.lower() if isinstance(v, str) else v for v in values]
        return func.lower(col) == any_(array_param(model, field, lowered))
    return col == any_(array_param(model, field, values))


def _like(
    model: ModelMeta, field: ScalarField, col: Col, op: str, arg: JsonValue, insensitive: bool
) -> Bool:
    if field.type != "String":
        raise _bad_op(model, field, op)
    if not isinstance(arg, str):
        raise InputError(
            f"{model.name}.{field.name}: `{op}` takes a str, got {type(arg).__name__}.",
            model=model.name,
            field=field.name,
        )
    escaped = arg.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = {"contains": f"%{escaped}%", "startswith": f"{escaped}%", "endswith": f"%{escaped}"}[
        op
    ]
    bound = scalar_param(model, field, pattern)
    return col.ilike(bound, escape="\\") if insensitive else col.like(bound, escape="\\")


def _compare(model: ModelMeta, field: ScalarField, col: Col, op: str, arg: JsonValue) -> Bool:
    if field.type not in _COMPARABLE:
        raise _bad_op(model, field, op)
    compare: dict[str, Callable[[Col, Col], Bool]] = {
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
    }
    return compare[op](col, scalar_param(model, field, arg))


def _op(
    model: ModelMeta, field: ScalarField, col: Col, op: str, arg: JsonValue, insensitive: bool
) -> Bool:
    if op == "equals":
        return _equals(model, field, col, arg, insensitive=insensitive)
    if op == "not":
        if arg is None:
            return col.is_not(None)
        if is_mapping(arg) and not isinstance(arg, Json):
            return not_(
                scalar_filter(
                    model, field, col, {"mode": "insensitive", **arg} if insensitive else arg
                )
            )
        return not_(_equals(model, field, col, arg, insensitive=insensitive))
    if op in ("in", "not_in"):
        if not is_sequence(arg):
            raise InputError(
                f"{model.name}.{field.name}: `{op}` takes a list.",
                model=model.name,
                field=field.name,
            )
        found = _in(model, field, col, arg, insensitive=insensitive)
        return found if op == "in" else not_(found)
    if op in ("contains", "startswith", "endswith"):
        return _like(model, field, col, op, arg, insensitive)
    if op in ("lt", "lte", "gt", "gte"):
        return _compare(model, field, col, op, arg)
    if op == "search" and field.type == "String" and isinstance(arg, str):
        return matches(col, arg)
    raise _bad_op(model, field, op)


def _list_filter(model: ModelMeta, field: ScalarField, col: Col, value: JsonValue) -> Bool:
    """None (bare or as `equals`) matches a NULL list, which is what an omitted list stores."""
    if value is None:
        return col.is_(None)
    if not is_mapping(value):
        return col == param(model, field, value)
    parts: list[Bool] = []
    for op, arg in value.items():
        if op not in _LIST_OPS:
            raise InputError(
                f"`{op}` is not a filter for the list field {model.name}.{field.name}; "
                "use has, has_some, has_every, is_empty or equals.",
                model=model.name,
                field=field.name,
            )
        parts.append(_list_op(model, field, col, op, arg))
    return and_(true(), *parts)


def _list_op(model: ModelMeta, field: ScalarField, col: Col, op: str, arg: JsonValue) -> Bool:
    if op == "has":
        return scalar_param(model, field, arg) == any_(col)
    if op == "has_some":
        return col.op("&&", is_comparison=True)(array_param(model, field, arg))
    if op == "has_every":
        return col.op("@>", is_comparison=True)(array_param(model, field, arg))
    if op == "is_empty":
        empty = func.cardinality(col) == 0
        return empty if arg else not_(empty)
    if arg is None:
        return col.is_(None)
    return col == param(model, field, arg)
