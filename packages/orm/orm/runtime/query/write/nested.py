"""Nested relation writes (`{"author": {"connect": {"id": ...}}}`, `{"posts": {"create": [...]}}`).

`before_write` handles relations whose foreign key is on the row being written and returns the
key values to store; `after_write` handles the others once the row exists. Both assume the
input was checked by `validate` and that they run inside a transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from orm.runtime.errors import RecordNotFoundError
from orm.runtime.executor import Executor, Row
from orm.runtime.query.shapes import is_mapping, listed
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.query.values import db_value
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.query.write.core import bind_value, insert_one, update_one
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["after_write", "before_write", "create_child", "linked"]

Bool = ColumnElement[bool]
Keys = dict[str, JsonValue]


def _not_found(relation: RelationField, op: str) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"No {relation.target} record was found for the nested `{op}` on "
        f"{relation.model}.{relation.name}: check the `where` you passed.",
        model=relation.target,
    )


async def _find_keys(
    ex: Executor,
    schema: SchemaMeta,
    target: ModelMeta,
    where: Mapping[str, JsonValue],
    fields: Sequence[str],
) -> Row | None:
    condition = compile_unique(schema, target, target.table, where, "connect")
    stmt = select(*(target.table.c[f].label(f) for f in fields)).where(condition)
    rows = await ex.fetch(stmt, model=target.name, action="findUnique")
    return rows[0] if rows else None


async def before_write(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    ops: Mapping[str, JsonValue],
    current: Row | None,
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
            # the key itself: no lookup, the foreign key checks it
            return {f: db_value(target, target.scalars[f], v) for f, v in arg.items()}
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
        updated = (
            await update_one(ex, schema, target, condition, data) if condition is not None else None
        )
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
    return {
        r: parent[loc] for loc, r in zip(relation.local_fields, relation.remote_fields, strict=True)
    }


async def _link_m2m(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, child: Row
) -> None:
    join = schema.join_tables[relation.join_table or ""]
    target = schema.models[relation.target]
    values = {
        relation.join_local or "": parent[relation.local_fields[0]],
        relation.join_remote or "": child[target.id_fields[0]],
    }
    stmt = pg_insert(join).values(values).on_conflict_do_nothing()
    await ex.execute(stmt, model=relation.model, action="connect")


async def create_child(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, data: JsonValue
) -> None:
    target = schema.models[relation.target]
    child = await insert_one(ex, schema, target, data, fixed=_fixed(relation, parent))
    if relation.kind == "m2m":
        await _link_m2m(ex, schema, relation, parent, child)


async def _connect(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, where: JsonValue
) -> None:
    target = schema.models[relation.target]
    if relation.kind == "m2m":
        found = await _find_keys(ex, schema, target, where, target.id_fields)
        if found is None:
            raise _not_found(relation, "connect")
        await _link_m2m(ex, schema, relation, parent, found)
        return
    condition = compile_unique(schema, target, target.table, where, "connect")
    values = {f: bind_value(target, f, v) for f, v in _fixed(relation, parent).items()}
    count = await ex.execute(
        update(target.table).where(condition).values(values), model=target.name, action="connect"
    )
    if count == 0:
        raise _not_found(relation, "connect")


async def _connect_or_create(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    target = schema.models[relation.target]
    found = await _find_keys(ex, schema, target, arg["where"], target.id_fields)
    if found is None:
        await create_child(ex, schema, relation, parent, arg["create"])
    else:
        await _connect(ex, schema, relation, parent, {f: found[f] for f in target.id_fields})


async def _disconnect(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, where: JsonValue
) -> None:
    target = schema.models[relation.target]
    condition = linked(schema, relation, parent)
    if is_mapping(where):
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
    await ex.execute(
        update(target.table).where(condition).values(nulls), model=target.name, action="disconnect"
    )


async def _each_create(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    items = listed(arg)
    target = schema.models[relation.target]
    flat = all(is_mapping(d) and not (d.keys() & target.relations.keys()) for d in items)
    if relation.kind == "inline_there" and len(items) > 1 and flat:
        from orm.runtime.query.write.ops import insert_rows

        # children without relations of their own: one multi-row INSERT
        await insert_rows(ex, target, items, skip_duplicates=False, fixed=_fixed(relation, parent))
        return
    for data in items:
        await create_child(ex, schema, relation, parent, data)


async def _each_connect(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    for where in listed(arg):
        await _connect(ex, schema, relation, parent, where)


async def _each_connect_or_create(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    for item in listed(arg):
        await _connect_or_create(ex, schema, relation, parent, item)


async def _each_disconnect(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    wheres = listed(arg) if relation.is_list else ([None] if arg else [])
    for where in wheres:
        await _disconnect(ex, schema, relation, parent, where)


async def _set(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    await _disconnect(ex, schema, relation, parent, None)
    await _each_connect(ex, schema, relation, parent, arg)


async def _create_many(
    ex: Executor, schema: SchemaMeta, relation: RelationField, parent: Row, arg: JsonValue
) -> None:
    from orm.runtime.query.write.ops import insert_rows

    target = schema.models[relation.target]
    await insert_rows(
        ex,
        target,
        arg["data"],
        skip_duplicates=bool(arg.get("skip_duplicates")),
        fixed=_fixed(relation, parent),
    )


_AFTER: dict[
    str, Callable[[Executor, SchemaMeta, RelationField, Row, JsonValue], Awaitable[None]]
] = {
    "create": _each_create,
    "create_many": _create_many,
    "connect": _each_connect,
    "connect_or_create": _each_connect_or_create,
    "disconnect": _each_disconnect,
    "set": _set,
}


async def after_write(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    ops: Mapping[str, JsonValue],
    parent: Row,
) -> None:
    from orm.runtime.query.write.nested_many import many_op

    for op, arg in ops.items():
        handler = _AFTER.get(op)
        if handler is not None:
            await handler(ex, schema, relation, parent, arg)
        else:
            await many_op(ex, schema, relation, parent, op, arg)
