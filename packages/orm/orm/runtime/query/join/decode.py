"""JSON built by a join-strategy statement → the same model instances the batched strategy
returns (see `values.py` for how each type travels)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import cast

from orm.runtime.fields import Base64
from orm.runtime.models import BaseModel
from orm.runtime.query.hydrate import construct_all
from orm.runtime.query.selection import COUNT_FIELD, Node
from orm.runtime.query.structure import Converter, ModelMeta, ScalarField
from orm.runtime.types import JsonValue

__all__ = ["decode_nodes", "field_set"]

_CONVERTERS: dict[tuple[int, str], Converter | None] = {}


def _timestamp(value: JsonValue) -> JsonValue:
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _decimal(value: JsonValue) -> JsonValue:
    text = str(value)
    if "." in text and "E" not in text.upper():
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def _bytes_hex(value: JsonValue) -> JsonValue:
    return Base64.encode(bytes.fromhex(str(value)[2:]))


def _bytes_b64(value: JsonValue) -> JsonValue:
    return Base64.fromb64(str(value))


def _float(value: JsonValue) -> JsonValue:
    return float(cast(float, value))


def _date(value: JsonValue) -> JsonValue:
    return date.fromisoformat(str(value))


def _time(value: JsonValue) -> JsonValue:
    return time.fromisoformat(str(value))


def _base(model: ModelMeta, field: ScalarField) -> Converter | None:
    if field.is_enum:
        return (
            dict(model.converters).get(field.name)
            if not field.is_list
            else _enum_item(model, field)
        )
    if field.type == "DateTime":
        native = field.native_type[0] if field.native_type else "Timestamp"
        return {"Date": _date, "Time": _time, "Timetz": _time}.get(native, _timestamp)
    if field.type == "Bytes":
        return _bytes_hex if field.is_list else _bytes_b64
    return {"Decimal": _decimal, "Float": _float}.get(field.type)


def _enum_item(model: ModelMeta, field: ScalarField) -> Converter | None:
    """The per-item converter of an enum list (the model's converter maps whole lists)."""
    listed = dict(model.converters).get(field.name)
    if listed is None:
        return None
    return lambda value: cast(list[JsonValue], listed([value]))[0]


def _converter(model: ModelMeta, field: ScalarField) -> Converter | None:
    key = (id(model), field.name)
    if key in _CONVERTERS:
        return _CONVERTERS[key]
    base = _base(model, field)
    convert: Converter | None = base
    if field.is_list:
        item = base

        def convert_list(values: JsonValue) -> JsonValue:
            items = cast(list[JsonValue], values)
            return [v if v is None or item is None else item(v) for v in items]

        convert = convert_list
    _CONVERTERS[key] = convert
    return convert


def field_set(node: Node) -> set[str]:
    names = set(node.scalars) | {c.relation.name for c in node.children}
    if node.counts is not None:
        names.add(COUNT_FIELD)
    return names


def decode_nodes(node: Node, objects: Sequence[Mapping[str, JsonValue]]) -> list[BaseModel]:
    """Instances of `node.model` from the JSON objects of its rows."""
    model = node.model
    template = model.template if model.template is not None else {}
    plan: list[tuple[str, Callable[[JsonValue], JsonValue] | None, bool]] = [
        (name, _converter(model, model.scalars[name]), model.scalars[name].is_list)
        for name in node.scalars
    ]
    datas: list[dict[str, JsonValue]] = []
    for obj in objects:
        data = template.copy()
        for name, convert, is_list in plan:
            value = obj[name]
            if value is None:
                data[name] = [] if is_list else None
            else:
                data[name] = value if convert is None else convert(value)
        attach_children(node, obj, data)
        datas.append(data)
    return construct_all(model, datas, field_set(node))


def attach_children(node: Node, obj: Mapping[str, JsonValue], data: dict[str, JsonValue]) -> None:
    """The relations (and `_count`) of one row, decoded from its JSON values in `obj`."""
    for child in node.children:
        value = obj[child.key]
        if child.relation.is_list:
            data[child.relation.name] = decode_nodes(
                child.node, cast(list[dict[str, JsonValue]], value or [])
            )
        else:
            found = decode_nodes(child.node, [cast(dict[str, JsonValue], value)]) if value else []
            data[child.relation.name] = found[0] if found else None
    if node.counts is not None:
        data[COUNT_FIELD] = obj[node.count_key]
