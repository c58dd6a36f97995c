"""`group_by(having=...)`: filters on grouped fields and on their aggregates.

`{"age": {"_avg": {"gt": 30}}, "email": {"_count": {"gte": 2}}, "role": "ADMIN"}`; a field's
dict may mix plain filters with aggregate keys, and AND/OR/NOT nest as in `where`.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import ColumnElement, FromClause, and_, false, func, not_, or_, true

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.query.filters import scalar_filter
from orm.runtime.query.shapes import is_mapping, listed
from orm.runtime.query.structure import ModelMeta, ScalarField
from orm.runtime.types import JsonValue

__all__ = ["AGGREGATES", "aggregate", "check_having", "compile_having"]

Bool = ColumnElement[bool]
AGGREGATES = {
    "_count": func.count,
    "_avg": func.avg,
    "_sum": func.sum,
    "_min": func.min,
    "_max": func.max,
}
_RESULT_TYPE = {"_count": "Int", "_avg": "Float"}


def aggregate(table: FromClause, kind: str, name: str) -> ColumnElement[JsonValue]:
    if name == "_all":
        return func.count()
    return AGGREGATES[kind](table.c[name])


def _result_field(field: ScalarField, kind: str) -> ScalarField:
    """The field an aggregate's value is checked against: counts are ints, averages floats."""
    result_type = _RESULT_TYPE.get(kind)
    if result_type is None:
        return field
    return replace(field, name=f"{kind}({field.name})", type=result_type, is_enum=False)


def _plain_fields(having: JsonValue) -> list[str]:
    """Fields `having` filters by value rather than by an aggregate, at any depth."""
    found: list[str] = []
    for name, spec in dict(having).items():
        if name in ("AND", "OR", "NOT"):
            for nested in listed(spec):
                found += _plain_fields(nested)
        elif not is_mapping(spec) or spec.keys() - AGGREGATES.keys():
            found.append(name)
    return found


def check_having(model: ModelMeta, having: JsonValue, by: list[str]) -> None:
    """A plain filter in `having` is on a grouped field (`by`), or the grouped rows have no one
    value for it: refused with the engine's message, which prisma-client-py users see."""
    missing = sorted({name for name in _plain_fields(having) if name not in by})
    if missing:
        raise InputError(
            "Input error. Every field used in `having` filters must either be an aggregation "
            "filter or be included in the selection of the query. Missing fields: "
            + ", ".join(missing),
            model=model.name,
            field=missing[0],
        )


def compile_having(model: ModelMeta, table: FromClause, having: JsonValue) -> Bool:
    parts: list[Bool] = []
    for name, spec in dict(having).items():
        if name in ("AND", "OR", "NOT"):
            nested = [compile_having(model, table, h) for h in listed(spec)]
            if name == "AND":
                parts.append(and_(true(), *nested))
            elif name == "OR":
                parts.append(or_(false(), *nested))
            else:
                parts.extend(not_(n) for n in nested)
            continue
        field = model.scalars.get(name)
        if field is None:
            raise FieldNotFoundError(model.name, name, "having")
        parts.extend(_field_having(model, table, field, spec))
    return and_(true(), *parts)


def _field_having(
    model: ModelMeta, table: FromClause, field: ScalarField, spec: JsonValue
) -> list[Bool]:
    if not is_mapping(spec):
        return [scalar_filter(model, field, table.c[field.name], spec)]
    parts: list[Bool] = []
    plain = {k: v for k, v in spec.items() if k not in AGGREGATES}
    if plain:
        parts.append(scalar_filter(model, field, table.c[field.name], plain))
    for kind in AGGREGATES.keys() & spec.keys():
        expr = aggregate(table, kind, field.name)
        parts.append(scalar_filter(model, _result_field(field, kind), expr, spec[kind]))
    return parts
