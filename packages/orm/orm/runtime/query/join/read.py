"""Reads with `relation_load_strategy="join"`: the whole tree in one statement.

`find_many_joined` returns model instances equal to the batched strategy's; `find_json`
returns the result as JSON text shaped by the caller's `select` (see `selection.py`), built by
PostgreSQL, so a caller forwarding it never builds Python objects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, Select, Text, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by

from orm.runtime.executor import Executor
from orm.runtime.models import BaseModel
from orm.runtime.query.columns import labelled_columns
from orm.runtime.query.hydrate import construct_all, hydrate_values
from orm.runtime.query.join.compile import ROW_NUMBER, Aliases, join_children, node_object
from orm.runtime.query.join.decode import attach_children, field_set
from orm.runtime.query.order import order_by, plan_page
from orm.runtime.query.read import FindArgs, find_statement, unique_statement
from orm.runtime.query.selection import Node
from orm.runtime.query.structure import ModelMeta
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["JsonShape", "Target", "find_json", "find_many_joined", "find_unique_joined"]

Target = FindArgs | Mapping[str, JsonValue]
"""What to read: `FindArgs` (find_many / find_first) or a unique `where` (find_unique)."""
JsonShape = Literal["list", "one"]


def _rows(schema: SchemaMeta, model: ModelMeta, target: Target) -> tuple[Select[JsonValue], bool]:
    """The top level's own rows as raw table columns numbered `__rn`, and whether reversed."""
    table = model.table
    if isinstance(target, FindArgs):
        stmt, reverse = find_statement(schema, model, target)
        stable = target.cursor is not None
        page = plan_page(model, target.order, target.take, target.skip, stable=stable)
        ordering = order_by(table, page.order)
    else:
        stmt, reverse, ordering = unique_statement(schema, model, target, "find_unique"), False, []
    rn = func.row_number().over(order_by=ordering).label(ROW_NUMBER)
    return stmt.with_only_columns(*table.c, rn), reverse


def _load_statement(
    schema: SchemaMeta, model: ModelMeta, target: Target, node: Node
) -> tuple[Select[JsonValue], list[str], bool]:
    """The statement of a load-form read, its relation columns (JSON text) and whether its rows
    come back reversed. A level that pages (take/skip) and has relations pages its own rows
    first, so the relations are built for the rows kept only."""
    aliases = Aliases()
    paged = isinstance(target, FindArgs) and (target.take is not None or bool(target.skip))
    if paged and node.children:
        inner, reverse = _rows(schema, model, target)
        rows_from = inner.subquery("p")
        frm, values = join_children(schema, node, rows_from, "load", aliases)
        stmt = select(*labelled_columns(model, rows_from)).order_by(rows_from.c[ROW_NUMBER])
    else:
        if isinstance(target, FindArgs):
            stmt, reverse = find_statement(schema, model, target)
        else:
            stmt, reverse = unique_statement(schema, model, target, "find_unique"), False
        frm, values = join_children(schema, node, model.table, "load", aliases)
    relation_columns = [cast(v, Text).label(k) for k, v in values.items()]
    return stmt.add_columns(*relation_columns).select_from(frm), list(values), reverse


async def find_many_joined(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, target: Target, node: Node, action: str
) -> list[BaseModel]:
    stmt, keys, reverse = _load_statement(schema, model, target, node)
    rows = list(await ex.fetch(stmt, model=model.name, action=action))
    if reverse:
        rows.reverse()
    scalars = [{n: r[n] for n in model.scalars} for r in rows]
    datas = hydrate_values(model, scalars)
    for row, data in zip(rows, datas, strict=True):
        objects: dict[str, JsonValue] = {k: _loads(row[k]) for k in keys}
        attach_children(node, objects, data)
        if node.partial:
            for name in model.scalars:
                if name not in node.scalars:
                    data[name] = None
    return construct_all(model, datas, field_set(node))


async def find_unique_joined(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, where: Mapping[str, JsonValue], node: Node
) -> BaseModel | None:
    found = await find_many_joined(ex, schema, model, where, node, "findUnique")
    return found[0] if found else None


async def find_json(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    target: Target,
    node: Node,
    *,
    shape: JsonShape,
) -> str:
    """The result as JSON text: an array for `shape="list"`, an object or `null` for "one"."""
    inner, reverse = _rows(schema, model, target)
    rows_from = inner.subquery("p")
    obj, frm = node_object(schema, node, rows_from, "output", Aliases())
    rn: ColumnElement[JsonValue] = rows_from.c[ROW_NUMBER]
    if shape == "one":
        stmt = select(cast(obj, Text).label("json")).select_from(frm).order_by(rn).limit(1)
    else:
        agg = func.json_agg(aggregate_order_by(obj, rn.desc() if reverse else rn))
        empty = literal_column("'[]'::json", JSON())
        stmt = select(cast(func.coalesce(agg, empty), Text).label("json")).select_from(frm)
    rows = await ex.fetch(stmt, model=model.name, action="findManyJson")
    return str(rows[0]["json"]) if rows else "null"


def _loads(text: str | None) -> JsonValue:
    return None if text is None else json.loads(text)
