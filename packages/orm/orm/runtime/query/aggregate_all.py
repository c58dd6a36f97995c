"""Standalone `aggregate()` (Prisma's `aggregate`, prisma-client-py issue #25): `_count`, `_avg`,
`_sum`, `_min`, `_max` over the rows a find with the same `where` / `order` / `cursor` / `take` /
`skip` would return, in one statement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select

from orm.runtime.errors import InputError
from orm.runtime.executor import Executor
from orm.runtime.query.aggregate import aggregate_fields, aggregate_value
from orm.runtime.query.having import aggregate
from orm.runtime.query.order import cursor_condition, order_by, plan_page
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.where import compile_where
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["aggregate_all"]

Args = Mapping[str, JsonValue]


async def aggregate_all(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    aggregates: Mapping[str, JsonValue],
    args: Args,
) -> dict[str, dict[str, JsonValue]]:
    wanted = [
        (kind, name)
        for kind, spec in aggregates.items()
        for name in aggregate_fields(model, kind, spec)
    ]
    if not wanted:
        raise InputError(
            f"{model.name}.aggregate needs at least one of count, avg, sum, min or max.",
            model=model.name,
        )
    table = model.table
    take, skip, cursor = args.get("take"), args.get("skip"), args.get("cursor")
    page = plan_page(model, args.get("order"), take, skip, stable=cursor is not None, schema=schema)
    cols: list[ColumnElement[JsonValue]] = [table.c[f].label(f) for f in model.scalars]
    inner = select(*cols).select_from(table)
    if args.get("where"):
        inner = inner.where(compile_where(schema, model, table, args["where"]))
    if cursor is not None:
        inner = inner.where(cursor_condition(schema, model, table, cursor, page.order))
    if page.take is not None or page.skip:
        inner = inner.order_by(*order_by(table, page.order)).limit(page.take).offset(page.skip)
    sub = inner.subquery()
    labelled = [aggregate(sub, kind, name).label(f"{kind}__{name}") for kind, name in wanted]
    [row] = await ex.fetch(select(*labelled).select_from(sub), model=model.name, action="aggregate")
    converters = dict(model.converters)
    out: dict[str, dict[str, JsonValue]] = {kind: {} for kind, _ in wanted}
    for kind, name in wanted:
        value = row[f"{kind}__{name}"]
        if value is not None:
            value = aggregate_value(model, kind, name, value, converters)
        out[kind][name] = value
    return out
