"""The write actions: create, create_many, update, update_many, upsert, delete, delete_many.

A write without relation data is one statement (`INSERT/UPDATE/DELETE ... RETURNING`, an upsert
by one unique key `INSERT ... ON CONFLICT DO UPDATE`); one with nested writes, any other upsert,
or a delete that returns includes runs in a transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Update, delete, literal_column, update
from sqlalchemy.dialects.postgresql import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert

from orm.runtime.errors import InputError
from orm.runtime.executor import Executor
from orm.runtime.models import BaseModel
from orm.runtime.query.include import instances, materialize
from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.query.write.core import (
    bind_value,
    insert_one,
    shaped_insert,
    single_statement,
    update_one,
)
from orm.runtime.query.write.scalars import create_values, split_data, update_values
from orm.runtime.query.write.upsert import conflict_upsert
from orm.runtime.query.write.validate import has_relations, validate_create, validate_update
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "create",
    "create_many",
    "delete_many",
    "delete_one",
    "insert_statement",
    "update_many",
    "update_many_statement",
    "update_one_unique",
    "upsert",
]

Args = Mapping[str, JsonValue]


async def create(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, data: Args, include: Args | None
) -> BaseModel:
    if not include and not has_relations(model, data):
        rows = await ex.fetch_rows(shaped_insert(model, data), model=model.name, action="create")
        return instances(model, rows.columns, rows.values)[0]
    validate_create(schema, model, data)
    if not include and single_statement(model, split_data(model, data, "create data")[1]):
        row = await insert_one(ex, schema, model, data)
        return (await materialize(ex, schema, model, [row], None))[0]
    # One connection for the write and the include reads: a replica may not have the row yet.
    async with ex.transaction() as tx:
        row = await insert_one(tx, schema, model, data)
        return (await materialize(tx, schema, model, [row], include))[0]


async def create_many(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    data: Sequence[Args],
    *,
    skip_duplicates: bool,
) -> int:
    _ = schema
    return await insert_rows(ex, model, data, skip_duplicates=skip_duplicates)


async def insert_rows(
    ex: Executor,
    model: ModelMeta,
    data: JsonValue,
    *,
    skip_duplicates: bool,
    fixed: Mapping[str, JsonValue] | None = None,
) -> int:
    """One multi-row INSERT (`ON CONFLICT DO NOTHING` with `skip_duplicates`); the row count."""
    stmt = insert_statement(model, data, skip_duplicates=skip_duplicates, fixed=fixed)
    return 0 if stmt is None else await ex.execute(stmt, model=model.name, action="createMany")


def insert_statement(
    model: ModelMeta,
    data: JsonValue,
    *,
    skip_duplicates: bool,
    fixed: Mapping[str, JsonValue] | None = None,
) -> Insert | None:
    """The multi-row INSERT for `data` (None when it is empty)."""
    if is_mapping(data) or not is_sequence(data):
        raise InputError(f"{model.name}.create_many takes a list of dicts.", model=model.name)
    rows: list[dict[str, JsonValue]] = []
    for item in data:
        scalars, relations = split_data(model, item, "create_many data")
        if relations:
            raise InputError(
                f"{model.name}.create_many cannot write relations ({', '.join(relations)}); "
                "set the foreign key fields instead, or use create.",
                model=model.name,
            )
        row = create_values(model, scalars, provided=frozenset(fixed or {}))
        row.update({f: bind_value(model, f, v) for f, v in (fixed or {}).items()})
        rows.append(row)
    if not rows:
        return None
    names = {name for row in rows for name in row}
    for row in rows:  # every row of a multi-row VALUES names the same columns
        for name in names - row.keys():
            row[name] = literal_column("DEFAULT")
    stmt = pg_insert(model.table).values(rows)
    return stmt.on_conflict_do_nothing() if skip_duplicates else stmt


async def update_one_unique(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    data: Args,
    where: Args,
    include: Args | None,
) -> BaseModel | None:
    condition = compile_unique(schema, model, model.table, where, "update")
    single = not has_relations(model, data)
    if not single:
        validate_update(schema, model, data)
        single = single_statement(model, split_data(model, data, "update data")[1])
    if single and not include:
        row = await update_one(ex, schema, model, condition, data)
        return None if row is None else (await materialize(ex, schema, model, [row], None))[0]
    async with ex.transaction() as tx:
        row = await update_one(tx, schema, model, condition, data)
        return None if row is None else (await materialize(tx, schema, model, [row], include))[0]


async def update_many(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, data: Args, where: Args | None
) -> int:
    stmt = update_many_statement(schema, model, data, where)
    if stmt is None:
        return 0
    return await ex.execute(stmt, model=model.name, action="updateMany")


def update_many_statement(
    schema: SchemaMeta, model: ModelMeta, data: Args, where: Args | None
) -> Update | None:
    """The UPDATE for `update_many` (None when `data` sets nothing)."""
    scalars, relations = split_data(model, data, "update_many data")
    if relations:
        raise InputError(
            f"{model.name}.update_many cannot write relations ({', '.join(relations)}).",
            model=model.name,
        )
    values = update_values(model, model.table, scalars)
    condition = compile_where(schema, model, model.table, where or {})
    return update(model.table).where(condition).values(values) if values else None


async def upsert(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    where: Args,
    data: Args,
    include: Args | None,
) -> BaseModel:
    if not is_mapping(data) or "create" not in data or "update" not in data:
        raise InputError(
            f"{model.name}.upsert takes data={{'create': {{...}}, 'update': {{...}}}}.",
            model=model.name,
        )
    condition = compile_unique(schema, model, model.table, where, "upsert")
    validate_create(schema, model, data["create"])
    validate_update(schema, model, data["update"])
    native = conflict_upsert(model, where, data["create"], data["update"])
    if native is not None and not include:
        row = (await ex.fetch(native, model=model.name, action="upsert"))[0]
        return (await materialize(ex, schema, model, [row], None))[0]
    async with ex.transaction() as tx:
        if native is not None:
            row = (await tx.fetch(native, model=model.name, action="upsert"))[0]
        else:
            row = await update_one(tx, schema, model, condition, data["update"])
            if row is None:
                row = await insert_one(tx, schema, model, data["create"])
        return (await materialize(tx, schema, model, [row], include))[0]


async def delete_one(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, where: Args, include: Args | None
) -> BaseModel | None:
    condition = compile_unique(schema, model, model.table, where, "delete")
    stmt = model.statements.delete.where(condition)
    if not include:
        rows = await ex.fetch(stmt, model=model.name, action="delete")
        return (await materialize(ex, schema, model, rows[:1], None))[0] if rows else None
    async with ex.transaction() as tx:
        from orm.runtime.query.read import find_unique

        found = await find_unique(tx, schema, model, where, include)
        if found is not None:
            await tx.execute(
                delete(model.table).where(condition), model=model.name, action="delete"
            )
        return found


async def delete_many(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, where: Args | None
) -> int:
    condition = compile_where(schema, model, model.table, where or {})
    return await ex.execute(
        delete(model.table).where(condition), model=model.name, action="deleteMany"
    )
