"""`where` → a SQL boolean: scalar filters, AND/OR/NOT, list filters, relation filters.

`compile_where(ctx, model, table, where)` works on `table` (the model's table or an alias of
it) so the same code serves top-level queries, include batches and correlated EXISTS subqueries.
Relation filters become EXISTS over an alias of the related table, so self-relations work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    FromClause,
    and_,
    exists,
    false,
    not_,
    or_,
    select,
    true,
)

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.query.filters import scalar_filter
from orm.runtime.query.shapes import is_mapping, is_sequence, listed
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["compile_unique", "compile_where", "link_condition"]

Bool = ColumnElement[bool]
Where = Mapping[str, JsonValue]

_TO_MANY = ("some", "every", "none")
_TO_ONE = ("is", "is_not")


def compile_where(schema: SchemaMeta, model: ModelMeta, table: FromClause, where: Where) -> Bool:
    if not is_mapping(where):
        raise InputError(
            f"{model.name}: `where` must be a dict of field filters, got {type(where).__name__}.",
            model=model.name,
        )
    clauses = [_item(schema, model, table, key, value) for key, value in where.items()]
    if not clauses:
        return true()
    return clauses[0] if len(clauses) == 1 else and_(*clauses)


def _item(
    schema: SchemaMeta, model: ModelMeta, table: FromClause, key: str, value: JsonValue
) -> Bool:
    if key in ("AND", "OR", "NOT"):
        return _logical(schema, model, table, key, value)
    field = model.scalars.get(key)
    if field is not None:
        return scalar_filter(model, field, table.c[key], value)
    relation = model.relations.get(key)
    if relation is not None:
        return _relation_filter(schema, model, table, relation, value)
    fields = model.compound_keys.get(key)
    if fields is not None:
        return _compound(model, table, key, fields, value)
    raise FieldNotFoundError(model.name, key, "where")


def _logical(
    schema: SchemaMeta, model: ModelMeta, table: FromClause, key: str, value: JsonValue
) -> Bool:
    if not (is_mapping(value) or is_sequence(value)):
        raise InputError(
            f"{model.name}: `{key}` takes a where dict or a list of them.", model=model.name
        )
    items = listed(value)
    parts = [compile_where(schema, model, table, w) for w in items]
    if key == "AND":
        return and_(true(), *parts)
    if key == "OR":
        return or_(false(), *parts)
    return and_(true(), *(not_(p) for p in parts))  # every condition must be false


def _compound(
    model: ModelMeta,
    table: FromClause,
    key: str,
    fields: Sequence[str],
    value: JsonValue,
) -> Bool:
    if not is_mapping(value) or set(value) != set(fields):
        raise InputError(
            f"{model.name}.{key} needs a dict with exactly the fields {', '.join(fields)}.",
            model=model.name,
            field=key,
        )
    return and_(*(scalar_filter(model, model.scalars[f], table.c[f], value[f]) for f in fields))


def link_condition(
    schema: SchemaMeta, relation: RelationField, parent: FromClause, child: FromClause
) -> tuple[Bool, FromClause]:
    """How rows of `child` (the target) relate to `parent`: the condition and the FROM to use."""
    if relation.kind != "m2m":
        pairs = zip(relation.local_fields, relation.remote_fields, strict=True)
        return and_(*(child.c[r] == parent.c[loc] for loc, r in pairs)), child
    join = schema.join_tables[relation.join_table or ""].alias()
    target = schema.models[relation.target]
    frm = join.join(child, join.c[relation.join_remote or ""] == child.c[target.id_fields[0]])
    return join.c[relation.join_local or ""] == parent.c[relation.local_fields[0]], frm


def _relation_filter(
    schema: SchemaMeta,
    model: ModelMeta,
    table: FromClause,
    relation: RelationField,
    value: JsonValue,
) -> Bool:
    target = schema.models[relation.target]
    if value is None and not relation.is_list:
        value = {"is": None}
    if not is_mapping(value):
        raise _relation_error(model, relation)
    ops = _TO_MANY if relation.is_list else _TO_ONE
    if not relation.is_list and not set(value) & set(ops):
        value = {"is": value}  # `{"author": {"name": ...}}` is shorthand for `is`
    parts: list[Bool] = []
    for op, arg in value.items():
        if op not in ops:
            raise _relation_error(model, relation)
        parts.append(_relation_op(schema, target, table, relation, op, arg))
    return and_(true(), *parts)


def _relation_op(
    schema: SchemaMeta,
    target: ModelMeta,
    table: FromClause,
    relation: RelationField,
    op: str,
    arg: JsonValue,
) -> Bool:
    if arg is None:
        if relation.kind == "inline_here":
            cols = [table.c[f] for f in relation.local_fields]
            nulls = and_(*(c.is_(None) for c in cols))
            return nulls if op == "is" else not_(nulls)
        arg = {}
        op = "none" if op == "is" else "some"
    child = target.table.alias()
    link, frm = link_condition(schema, relation, table, child)
    try:
        inner = compile_where(schema, target, child, arg)
    except FieldNotFoundError as exc:
        raise exc.under(f"{relation.name}.{op}") from None
    if op == "every":
        return not_(exists(select(1).select_from(frm).where(link, not_(inner))))
    found = exists(select(1).select_from(frm).where(link, inner))
    return not_(found) if op in ("none", "is_not") else found


def _relation_error(model: ModelMeta, relation: RelationField) -> InputError:
    ops = _TO_MANY if relation.is_list else _TO_ONE
    return InputError(
        f"{model.name}.{relation.name} is a relation: filter it with "
        f"{', '.join(repr(o) for o in ops)}, each taking a where dict of {relation.target}.",
        model=model.name,
        field=relation.name,
    )


def compile_unique(
    schema: SchemaMeta, model: ModelMeta, table: FromClause, where: Where, action: str
) -> Bool:
    """A where that must name a unique key (`{"id": ...}`, `{"name_surname": {...}}`).

    An unknown key raises `FieldNotFoundError`, as prisma-client-py does for the engine's
    unknown-argument error, before the check that a unique key is named."""
    known = model.scalars.keys() | model.relations.keys() | model.compound_keys.keys()
    for key in where if is_mapping(where) else ():
        if key not in known and key not in ("AND", "OR", "NOT"):
            raise FieldNotFoundError(model.name, key, f"{action} where")
    if not is_mapping(where) or not _names_unique(model, where):
        keys = [" + ".join(u) for u in model.unique_sets] + list(model.compound_keys)
        raise InputError(
            f"{model.name}.{action} needs a unique `where`: one of {', '.join(keys)}.",
            model=model.name,
        )
    return compile_where(schema, model, table, where)


def _names_unique(model: ModelMeta, where: Where) -> bool:
    if any(key in model.compound_keys and where[key] is not None for key in where):
        return True
    given = {
        k for k, v in where.items() if k in model.scalars and v is not None and not is_mapping(v)
    }
    given |= {k for k, v in where.items() if is_mapping(v) and set(v) == {"equals"}}
    return any(set(u) <= given for u in model.unique_sets)
