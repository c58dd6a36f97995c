"""Nested `update`, `upsert`, `delete`, `update_many`, `delete_many` on the rows related to a
parent: rows holding its key (`inline_there`) or paired with it in a join table (`m2m`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, delete, update

from orm.runtime.errors import RecordNotFoundError
from orm.runtime.executor import Executor, Row
from orm.runtime.query.shapes import is_mapping, listed
from orm.runtime.query.structure import RelationField
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.query.write.core import update_one
from orm.runtime.query.write.scalars import split_data, update_values
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["many_op"]

Bool = ColumnElement[bool]


def _not_found(relation: RelationField, op: str) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"No {relation.target} record related to this {relation.model} through "
        f"`{relation.name}` matched the nested `{op}`.",
        model=relation.target,
    )


async def many_op(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    parent: Row,
    op: str,
    arg: JsonValue,
) -> None:
    items = listed(arg) if relation.is_list else [arg]
    for item in items:
        if op in ("delete", "delete_many"):
            await _delete(ex, schema, relation, parent, op, item)
        elif op == "update_many":
            await _update_many(ex, schema, relation, parent, item)
        else:
            await _update_or_upsert(ex, schema, relation, parent, op, item)


def _related(
    schema: SchemaMeta, relation: RelationField, parent: Row, where: JsonValue, *, unique: str = ""
) -> Bool:
    from orm.runtime.query.write.nested import linked

    target = schema.models[relation.target]
    base = linked(schema, relation, parent)
    if not is_mapping(where):
        return base
    if unique:
        return and_(base, compile_unique(schema, target, target.table, where, unique))
    return and_(base, compile_where(schema, target, target.table, where))


async def _delete(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    parent: Row,
    op: str,
    item: JsonValue,
) -> None:
    if item is False:
        return
    target = schema.models[relation.target]
    unique = "delete" if op == "delete" and relation.is_list else ""
    condition = _related(schema, relation, parent, item, unique=unique)
    stmt = delete(target.table).where(condition)
    count = await ex.execute(stmt, model=target.name, action="delete")
    if op == "delete" and count == 0:
        raise _not_found(relation, op)


async def _update_many(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, item: JsonValue
) -> None:
    target = schema.models[relation.target]
    condition = _related(schema, relation, parent, item.get("where") or {})
    scalars, _ = split_data(target, item["data"], "update_many data")
    values = update_values(target, target.table, scalars)
    if values:
        stmt = update(target.table).where(condition).values(values)
        await ex.execute(stmt, model=target.name, action="updateMany")


async def _update_or_upsert(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    parent: Row,
    op: str,
    item: JsonValue,
) -> None:
    from orm.runtime.query.write.nested import create_child

    if relation.is_list:
        condition = _related(schema, relation, parent, item["where"], unique=op)
        data = item["data"] if op == "update" else item["update"]
    else:
        condition = _related(schema, relation, parent, None)
        data = item if op == "update" else item["update"]
    target = schema.models[relation.target]
    if await update_one(ex, schema, target, condition, data) is not None:
        return
    if op == "update":
        raise _not_found(relation, op)
    await create_child(ex, schema, relation, parent, item["create"])
