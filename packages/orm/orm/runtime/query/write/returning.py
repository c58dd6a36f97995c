"""`create_many_and_return` and `update_many_and_return` (Prisma 5.14 / 6.2): the bulk writes of
`create_many` / `update_many`, one statement each, with `RETURNING` every column; the rows come
back as records (and with `include`, their relations, loaded as a find's are)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from orm.runtime.executor import Executor
from orm.runtime.models import BaseModel
from orm.runtime.query.include import materialize
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.write.ops import insert_statement, update_many_statement
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["create_many_and_return", "update_many_and_return"]

Args = Mapping[str, JsonValue]


async def create_many_and_return(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    data: Sequence[Args],
    *,
    skip_duplicates: bool,
    include: Args | None,
) -> list[BaseModel]:
    stmt = insert_statement(model, data, skip_duplicates=skip_duplicates)
    if stmt is None:
        return []
    rows = await ex.fetch(
        stmt.returning(*model.select_columns), model=model.name, action="createManyAndReturn"
    )
    return await materialize(ex, schema, model, rows, include)


async def update_many_and_return(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    data: Args,
    where: Args | None,
    *,
    include: Args | None,
) -> list[BaseModel]:
    stmt = update_many_statement(schema, model, data, where)
    if stmt is None:  # nothing to set: the matching rows, unchanged
        from orm.runtime.query.read import FindArgs, find_many

        return await find_many(ex, schema, model, FindArgs(where=where, include=include))
    rows = await ex.fetch(
        stmt.returning(*model.select_columns), model=model.name, action="updateManyAndReturn"
    )
    return await materialize(ex, schema, model, rows, include)
