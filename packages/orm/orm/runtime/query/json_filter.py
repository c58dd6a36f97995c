"""Json filters with a path (Prisma's JSON filtering, prisma-client-py issue #64):

    where={"meta": {"path": ["settings", "theme"], "equals": Json("dark")}}
    where={"meta": {"path": ["name"], "string_contains": "ann", "mode": "insensitive"}}
    where={"meta": {"path": ["tags"], "array_contains": ["a", "b"]}}

`path` selects a value inside the document (`#>`); without it the filter applies to the whole
value. String filters match only string values, array filters only arrays, as in Prisma.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, Text, and_, bindparam, cast, func, literal, not_, true
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from orm.runtime.errors import InputError
from orm.runtime.fields import Json
from orm.runtime.query.structure import ModelMeta, ScalarField
from orm.runtime.types import JsonValue

__all__ = ["JSON_OPS", "json_filter"]

Bool = ColumnElement[bool]
Col = ColumnElement[JsonValue]

_STRING_OPS = {"string_contains", "string_starts_with", "string_ends_with"}
_ARRAY_OPS = {"array_contains", "array_starts_with", "array_ends_with"}
JSON_OPS = frozenset({"path", "equals", "not", "mode", *_STRING_OPS, *_ARRAY_OPS})


def _document(value: JsonValue) -> ColumnElement[JsonValue]:
    data = value.data if isinstance(value, Json) else value
    try:
        text = json.dumps(data)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Json filter value: {exc}") from None
    return cast(bindparam(None, text, type_=Text), JSONB)


def _error(model: ModelMeta, field: ScalarField, message: str) -> InputError:
    return InputError(f"{model.name}.{field.name}: {message}", model=model.name, field=field.name)


def _target(model: ModelMeta, field: ScalarField, col: Col, path: JsonValue) -> Col:
    if path is None:
        return col
    if isinstance(path, str) or not isinstance(path, Sequence) or not path:
        raise _error(model, field, "`path` takes a non-empty list of keys (str) or indexes.")
    keys = [str(p) for p in typing.cast(Sequence[JsonValue], path)]
    return col.op("#>", return_type=JSONB)(bindparam(None, keys, type_=ARRAY(Text)))


def _string_op(target: Col, op: str, arg: JsonValue, *, insensitive: bool) -> Bool:
    text = target.op("#>>", return_type=Text)(bindparam(None, [], type_=ARRAY(Text)))
    escaped = str(arg).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = {
        "string_contains": f"%{escaped}%",
        "string_starts_with": f"{escaped}%",
        "string_ends_with": f"%{escaped}",
    }[op]
    like = text.ilike(pattern) if insensitive else text.like(pattern)
    return and_(func.jsonb_typeof(target) == "string", like)


def _array_op(target: Col, op: str, arg: JsonValue) -> Bool:
    is_array = func.jsonb_typeof(target) == "array"
    if op == "array_contains":
        items = arg.data if isinstance(arg, Json) else arg
        wrapped = typing.cast(list[JsonValue], items) if isinstance(items, list) else [items]
        return and_(is_array, target.op("@>", is_comparison=True)(_document(wrapped)))
    index = 0 if op == "array_starts_with" else -1
    element = target.op("->", return_type=JSONB)(literal(index))
    return and_(is_array, element == _document(arg))


def json_filter(
    model: ModelMeta, field: ScalarField, col: Col, ops: Mapping[str, JsonValue]
) -> Bool:
    unknown = set(ops) - JSON_OPS
    if unknown:
        raise _error(
            model,
            field,
            f"{', '.join(sorted(unknown))} is not a Json filter; use "
            f"{', '.join(sorted(JSON_OPS))}.",
        )
    target = _target(model, field, col, ops.get("path"))
    insensitive = ops.get("mode") == "insensitive"
    parts: list[Bool] = []
    for op, arg in ops.items():
        if op in ("path", "mode"):
            continue
        if op in _STRING_OPS:
            parts.append(_string_op(target, op, arg, insensitive=insensitive))
        elif op in _ARRAY_OPS:
            parts.append(_array_op(target, op, arg))
        elif arg is None:
            parts.append(target.is_(None) if op == "equals" else target.is_not(None))
        else:
            same = target == _document(arg)
            parts.append(same if op == "equals" else not_(same))
    return and_(true(), *parts)
