"""Nested `update`, `upsert`, `delete`, `update_many`, `delete_many` on rows related to a parent
whose key they hold (`inline_there`) or share through a join table (`m2m`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete

from orm.runtime.errors import RecordNotFoundError
from orm.runtime.executor import Executor, Row
from orm.runtime.query.structure import RelationField
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.query.write.core import insert_one, update_one
from orm.runtime.query.write.scalars import split_data, update_values
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["many_op"]


def _items(relation: RelationField, arg: JsonValue) -> list[JsonValue]:
    if isinstance(arg, list | tuple):
        return list(arg)
    return [arg]


async def many_op(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, op: str, arg: JsonValue
) -> None:
    from orm.runtime.query.write.nested import linked

    target = schema.models[relation.target]
    table = target.table
    base = linked(schema, relation, parent)
    for item in _items(relation, arg):
        if op in ("delete", "delete_many"):
            if item is False:
                continue
            where = item if isinstance(item, Mapping) else None
            condition = base
            if where is not None:
                compile_fn = compile_unique if op == "delete" and relation.is_list else None
                filt = (
                    compile_fn(schema, target, table, where, "delete")
                    if compile_fn
                    else compile_where(schema, target, table, where)
                )
                condition = and_(base, filt)
            count = await ex.execute(delete(table).where(condition), model=target.name, action="delete")
            if op == "delete" and count == 0:
                raise _not_found(relation, op)
        elif op == "update_many":
            condition = and_(base, compile_where(schema, target, table, item.get("where") or {}))
            scalars, _ = split_data(target, item["data"], "update_many data")
            values = update_values(target, table, scalars)
            if values:
                from sqlalchemy import update

                await ex.execute(update(table).where(condition).values(values), model=target.name, action="updateMany")
        else:
            await _update_or_upsert(ex, schema, relation, parent, op, item)


async def _update_or_upsert(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, op: str, item: JsonValue
) -> None:
    from orm.runtime.query.write.nested import _create_child, linked  # pyright: ignore[reportPrivateUsage]

    target = schema.models[relation.target]
    condition = linked(schema, relation, parent)
    if relation.is_list:
        condition = and_(condition, compile_unique(schema, target, target.table, item["where"], op))
        data = item["data"] if op == "update" else item["update"]
    else:
        data = item if op == "update" else item["update"]
    updated = await update_one(ex, schema, target, condition, data)
    if updated is not None:
        return
    if op == "update":
        raise _not_found(relation, op)
    await _create_child(ex, schema, relation, parent, item["create"])
    _ = insert_one


def _not_found(relation: RelationField, op: str) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"No {relation.target} record related to {relation.model}.{relation.name} matched the nested `{op}`.",
        model=relation.target,
    )
