"""Rows → model instances: database values become what prisma-client-py returns.

Converters are worked out once per model (`prepare_hydrators`), so hydrating a row is one dict
pass plus `model_construct` (no validation: the database already typed the values).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

import pydantic

from orm.runtime.errors import PrismaError
from orm.runtime.fields import Base64
from orm.runtime.models import BaseModel
from orm.runtime.query.structure import Converter, ModelMeta, ScalarField
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "construct",
    "construct_all",
    "convert_row",
    "hydrate_values",
    "prepare_hydrators",
]


def _datetime(value: JsonValue) -> JsonValue:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _decimal(value: JsonValue) -> JsonValue:
    """A `numeric` as Prisma reads it: the value, not the column's scale (1.50 -> 1.5, 1.000...
    -> 1), never in exponent notation."""
    text = str(value)
    if "." not in text or "E" in text:
        return value
    trimmed = text.rstrip("0").rstrip(".")
    return value if len(trimmed) == len(text) else Decimal(trimmed)


def _json(value: JsonValue) -> JsonValue:
    return json.loads(value) if isinstance(value, str) else value


def _bytes(value: JsonValue) -> JsonValue:
    return Base64.encode(bytes(value))


def _text(value: JsonValue) -> JsonValue:
    return value if isinstance(value, str) else str(value)


def _enum(field: ScalarField, enum_cls: type[Enum] | None) -> Converter | None:
    """Stored value → the member (or its name when no class is bound); None when unneeded."""
    enum = field.enum
    if enum is None:
        return None
    members: dict[str, JsonValue] = {
        stored: enum_cls[name] if enum_cls else name for name, stored in enum.db_values.items()
    }
    if enum_cls is None and all(k == v for k, v in members.items()):
        return None

    def convert(value: JsonValue) -> JsonValue:
        member = members.get(value)
        if member is None:
            raise ValueError(f"{value!r} is not a stored value of the enum {enum.name}")
        return member

    return convert


def _listed(convert: Converter) -> Converter:
    def convert_list(values: JsonValue) -> JsonValue:
        return [None if v is None else convert(v) for v in values]

    return convert_list


def _converter(model: ModelMeta, field: ScalarField) -> Converter | None:
    convert: Converter | None
    if field.is_enum:
        convert = _enum(field, model.enum_classes.get(field.name))
    elif field.type == "String" and field.native_type and field.native_type[0] == "Uuid":
        convert = _text
    elif field.type == "DateTime":  # single values are read as timestamptz: already aware
        convert = _datetime if field.is_list else None
    else:
        convert = {"Json": _json, "Bytes": _bytes}.get(field.type)
        if field.type == "Decimal" and field.is_list:  # single values: trim_scale in SQL
            convert = _decimal
    if convert is not None and field.is_list:
        return _listed(convert)
    return convert


def prepare_hydrators(schema: SchemaMeta) -> None:
    for model in schema.models.values():
        pairs = [(f.name, _converter(model, f)) for f in model.scalars.values()]
        model.converters = tuple((name, c) for name, c in pairs if c is not None)
        model.list_fields = tuple(f.name for f in model.scalars.values() if f.is_list)
        model.template = _template(model.model_class) if model.model_class else None
        model.layouts = {}


def _template(cls: type[BaseModel]) -> dict[str, JsonValue] | None:
    fields = cls.model_fields
    plain = (
        not cls.__pydantic_post_init__
        and not cls.__private_attributes__
        and cls.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in fields.values())
        and all(f.default_factory is None for f in fields.values())
    )
    if not plain:
        return None
    return {name: None if f.is_required() else f.default for name, f in fields.items()}


def convert_row(model: ModelMeta, row: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    data = dict(row)
    for name, convert in model.converters:
        value = data.get(name)
        if value is not None:
            data[name] = convert(value)
    for name in model.list_fields:
        if name in data and data[name] is None:
            data[name] = []
    return data


def hydrate_values(
    model: ModelMeta, rows: Sequence[Mapping[str, JsonValue]]
) -> list[dict[str, JsonValue]]:
    """Each row as its instance's `__dict__` will be: every field in class order (from the
    `template`), the row's values converted. One dict per row; `construct_all` adopts it."""
    template = model.template if model.template is not None else {}
    datas = [{**template, **row} for row in rows]  # the fastest merge CPython has
    converters, list_fields = model.converters, model.list_fields
    if converters or list_fields:
        for data in datas:
            for name, convert in converters:
                value = data.get(name)
                if value is not None:
                    data[name] = convert(value)
            for name in list_fields:
                if name in data and data[name] is None:
                    data[name] = []
    return datas


def construct_all(
    model: ModelMeta, datas: Sequence[dict[str, JsonValue]], fields_set: AbstractSet[str]
) -> list[BaseModel]:
    """Instances from `hydrate_values` dicts (as `construct`, without copying them again).

    They share one frozenset of `fields_set`, each copying it on first use (see
    `BaseModel.__pydantic_fields_set__`)."""
    cls = model.model_class
    if cls is None or model.template is None:
        return [construct(model, d) for d in datas]  # no template: `d` holds only what was read
    new, set_dict, set_fields, set_extra, set_private = cls.__new__, *_SLOTS
    shared = frozenset(fields_set)
    instances: list[BaseModel] = []
    for data in datas:
        instance = new(cls)
        set_dict(instance, data)
        set_fields(instance, shared)
        set_extra(instance, None)
        set_private(instance, None)
        instances.append(instance)
    return instances


def construct(model: ModelMeta, data: dict[str, JsonValue]) -> BaseModel:
    """`model_construct`, minus its per-field loop when the class allows (see `template`)."""
    cls = model.model_class
    template = model.template
    if cls is not None and template is not None:
        instance = cls.__new__(cls)
        values = template.copy()
        values.update(data)
        _set(instance, "__dict__", values)
        _set(instance, "__pydantic_fields_set__", set(data))
        _set(instance, "__pydantic_extra__", None)
        _set(instance, "__pydantic_private__", None)
        return instance
    if cls is None:
        raise PrismaError(
            f"No model class is bound for {model.name}: the generated client calls "
            "`SCHEMA.bind(models=..., enums=...)` on import; call it before running queries."
        )
    return cls.model_construct(**data)


_set = object.__setattr__

# pydantic.BaseModel's own slot descriptors: setting through them skips `object.__setattr__`'s
# attribute lookup, a third of the cost of building an instance (a thousand per big include).
_SLOTS: tuple[Callable[[BaseModel, JsonValue], None], ...] = tuple(
    pydantic.BaseModel.__dict__[name].__set__
    for name in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )
)
