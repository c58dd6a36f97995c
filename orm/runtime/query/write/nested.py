"""Nested relation writes (`{"author": {"connect": {"id": ...}}}`, `{"posts": {"create": [...]}}`).

`before_write` handles relations whose foreign key is on the row being written and returns the
key values to store; `after_write` handles the others once the row exists. Both assume the
input was checked by `validate` and that they run inside a transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from orm.runtime.errors import RecordNotFoundError
from orm.runtime.executor import Executor, Row
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.query.write.core import bind_value, insert_one, update_one
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["after_write", "before_write", "linked"]

Bool = ColumnElement[bool]
Keys = dict[str, JsonValue]


def as_list(value: JsonValue) -> list[JsonValue]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _not_found(relation: RelationField, op: str) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"No {relation.target} record was found for a nested `{op}` on {relation.model}.{relation.name}.",
        model=relation.target,
    )


async def _find_keys(
    ex: Executor, schema: SchemaMeta, target: ModelMeta, where: Mapping[str, JsonValue], fields: Sequence[str]
) -> Row | None:
    condition = compile_unique(schema, target, target.table, where, "connect")
    stmt = select(*(target.table.c[f].label(f) for f in fields)).where(condition)
    rows = await ex.fetch(stmt, model=target.name, action="findUnique")
    return rows[0] if rows else None


async def before_write(
    ex: Executor, schema: SchemaMeta, relation: RelationField, ops: Mapping[str, JsonValue], current: Row | None
) -> Keys:
    """Foreign key values for an `inline_here` relation (None values disconnect)."""
    target = schema.models[relation.target]
    keys: Keys = {}
    pairs = list(zip(relation.local_fields, relation.remote_fields, strict=True))
    for op, arg in ops.items():
        row = await _one_side(ex, schema, relation, target, op, arg, current)
        if op in ("disconnect", "delete"):
            if arg:
                keys.update({loc: None for loc, _ in pairs})
        elif row is not None:
            keys.update({loc: row[rem] for loc, rem in pairs})
    return keys


async def _one_side(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    target: ModelMeta,
    op: str,
    arg: JsonValue,
    current: Row | None,
) -> Row | None:
    remote = relation.remote_fields
    if op == "create":
        return await insert_one(ex, schema, target, arg)
    if op == "connect":
        if set(arg) == set(remote) and all(v is not None for v in arg.values()):
            return dict(arg)  # the key itself: no lookup, the foreign key checks it
        found = await _find_keys(ex, schema, target, arg, remote)
        if found is None:
            raise _not_found(relation, "connect")
        return found
    if op == "connect_or_create":
        found = await _find_keys(ex, schema, target, arg["where"], remote)
        return found if found is not None else await insert_one(ex, schema, target, arg["create"])
    condition = _current_target(relation, target, current)
    if op in ("update", "upsert"):
        data = arg["update"] if op == "upsert" else arg
        updated = await update_one(ex, schema, target, condition, data) if condition is not None else None
        if updated is None and op == "upsert":
            return await insert_one(ex, schema, target, arg["create"])
        if updated is None:
            raise _not_found(relation, "update")
        return updated
    if op == "delete" and arg and condition is not None:
        await ex.execute(delete(target.table).where(condition), model=target.name, action="delete")
    return None


def _current_target(relation: RelationField, target: ModelMeta, current: Row | None) -> Bool | None:
    if current is None or any(current[f] is None for f in relation.local_fields):
        return None
    pairs = zip(relation.local_fields, relation.remote_fields, strict=True)
    return and_(*(target.table.c[r] == bind_value(target, r, current[loc]) for loc, r in pairs))


def linked(schema: SchemaMeta, relation: RelationField, parent: Row) -> Bool:
    """Rows of the target that are related to `parent` (for `inline_there` and `m2m`)."""
    target = schema.models[relation.target]
    table = target.table
    if relation.kind == "m2m":
        join = schema.join_tables[relation.join_table or ""]
        owner = schema.models[relation.model]
        local = relation.local_fields[0]
        ids = select(join.c[relation.join_remote or ""]).where(
            join.c[relation.join_local or ""] == bind_value(owner, local, parent[local])
        )
        return table.c[target.id_fields[0]].in_(ids)
    pairs = zip(relation.local_fields, relation.remote_fields, strict=True)
    return and_(*(table.c[r] == bind_value(target, r, parent[loc]) for loc, r in pairs))


def _fixed(relation: RelationField, parent: Row) -> Keys:
    if relation.kind == "m2m":
        return {}
    return {r: parent[loc] for loc, r in zip(relation.local_fields, relation.remote_fields, strict=True)}


async def _link_m2m(ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, child: Row) -> None:
    join = schema.join_tables[relation.join_table or ""]
    target = schema.models[relation.target]
    values = {
        relation.join_local or "": parent[relation.local_fields[0]],
        relation.join_remote or "": child[target.id_fields[0]],
    }
    stmt = pg_insert(join).values(values).on_conflict_do_nothing()
    await ex.execute(stmt, model=relation.model, action="connect")


async def _create_child(ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, data: JsonValue) -> None:
    target = schema.models[relation.target]
    child = await insert_one(ex, schema, target, data, fixed=_fixed(relation, parent))
    if relation.kind == "m2m":
        await _link_m2m(ex, schema, relation, parent, child)


async def _connect(ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, where: JsonValue) -> None:
    target = schema.models[relation.target]
    if relation.kind == "m2m":
        found = await _find_keys(ex, schema, target, where, target.id_fields)
        if found is None:
            raise _not_found(relation, "connect")
        await _link_m2m(ex, schema, relation, parent, found)
        return
    condition = compile_unique(schema, target, target.table, where, "connect")
    values = {f: bind_value(target, f, v) for f, v in _fixed(relation, parent).items()}
    count = await ex.execute(update(target.table).where(condition).values(values), model=target.name, action="connect")
    if count == 0:
        raise _not_found(relation, "connect")


async def _connect_or_create(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    target = schema.models[relation.target]
    found = await _find_keys(ex, schema, target, arg["where"], target.id_fields)
    if found is None:
        await _create_child(ex, schema, relation, parent, arg["create"])
    else:
        await _connect(ex, schema, relation, parent, {f: found[f] for f in target.id_fields})


async def _disconnect(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, where: JsonValue
) -> None:
    target = schema.models[relation.target]
    condition = linked(schema, relation, parent)
    if isinstance(where, Mapping):
        condition = and_(condition, compile_where(schema, target, target.table, where))
    if relation.kind == "m2m":
        join = schema.join_tables[relation.join_table or ""]
        owner = schema.models[relation.model]
        local = relation.local_fields[0]
        ids = select(target.table.c[target.id_fields[0]]).where(condition)
        stmt = delete(join).where(
            join.c[relation.join_local or ""] == bind_value(owner, local, parent[local]),
            join.c[relation.join_remote or ""].in_(ids),
        )
        await ex.execute(stmt, model=relation.model, action="disconnect")
        return
    nulls = {f: None for f in relation.remote_fields}
    await ex.execute(update(target.table).where(condition).values(nulls), model=target.name, action="disconnect")


async def after_write(
    ex: Executor, schema: SchemaMeta, relation: RelationField, ops: Mapping[str, JsonValue], parent: Row
) -> None:
    from orm.runtime.query.write.nested_many import many_op

    for op, arg in ops.items():
        if op == "create":
            for data in as_list(arg):
                await _create_child(ex, schema, relation, parent, data)
        elif op == "connect":
            for where in as_list(arg):
                await _connect(ex, schema, relation, parent, where)
        elif op == "connect_or_create":
            for item in as_list(arg):
                await _connect_or_create(ex, schema, relation, parent, item)
        elif op == "disconnect":
            for where in as_list(arg) if relation.is_list else ([None] if arg else []):
                await _disconnect(ex, schema, relation, parent, where)
        elif op == "set":
            await _disconnect(ex, schema, relation, parent, None)
            for where in as_list(arg):
                await _connect(ex, schema, relation, parent, where)
        else:
            await many_op(ex, schema, relation, parent, op, arg)


