"""A `selection.Node` tree → ONE statement: each relation a `LEFT JOIN LATERAL` subquery that
builds its rows' JSON with `json_build_object` and, for a to-many relation, `json_agg`.

Each level pages its rows first (WHERE / cursor / ORDER BY / LIMIT / OFFSET over the child
table alone, numbering them with `row_number()`), then joins its own relations onto those
rows only, so a `take` of 5 builds five objects whatever the children's size:

    SELECT p.*, r1.v AS "posts" FROM (SELECT ... FROM users WHERE ... LIMIT 20) p
    LEFT JOIN LATERAL (
      SELECT coalesce(json_agg(json_build_object('id', c.id, ..., 'comments', r2.v)
                               ORDER BY c.__rn), '[]') AS v
      FROM (SELECT posts.*, row_number() OVER (ORDER BY ...) AS __rn FROM posts
            WHERE posts.author_id = p.id ORDER BY ... LIMIT 5) c
      LEFT JOIN LATERAL (...) r2 ON true
    ) r1 ON true
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    func,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by

from orm.runtime.query.include_distinct import sql_spec
from orm.runtime.query.join.values import Form, json_value
from orm.runtime.query.order import cursor_condition, order_by, plan_page
from orm.runtime.query.selection import Child, Count, Node
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.query.where import compile_where
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["ROW_NUMBER", "Joined", "count_value", "join_children", "json_object", "node_object"]

ROW_NUMBER = "__rn"
_PAIRS_PER_CALL = 50
"""json_build_object takes at most 100 arguments; wider objects are built in parts and merged."""
Expr = ColumnElement[JsonValue]
Joined = tuple[FromClause, dict[str, Expr]]


def json_object(pairs: list[tuple[str, Expr]]) -> Expr:
    """`json_build_object(k1, v1, ...)`; over 50 keys, jsonb parts concatenated (jsonb orders
    keys its own way, so key order is kept only up to 50 keys)."""
    parts = [
        func.json_build_object(*(x for k, v in pairs[i : i + _PAIRS_PER_CALL] for x in (k, v)))
        for i in range(0, max(len(pairs), 1), _PAIRS_PER_CALL)
    ]
    if len(parts) == 1:
        return parts[0]
    merged: Expr = func.jsonb_build_object()
    for part in parts:
        merged = merged.op("||")(func.to_jsonb(part))
    return merged.cast(JSON())


def join_children(schema: SchemaMeta, node: Node, rows: FromClause, form: Form) -> Joined:
    """`rows` with a lateral join per child relation; the value expression of each relation
    (and of `_count`) by output key."""
    frm = rows
    values: dict[str, Expr] = {}
    for i, child in enumerate(node.children):
        lateral = _child_lateral(schema, child, rows, form).lateral(f"{child.relation.name}_{i}")
        frm = frm.outerjoin(lateral, true())
        values[child.key] = lateral.c.v
    if node.counts is not None:
        values[node.count_key] = json_object(
            [(c.key, count_value(schema, c, rows)) for c in node.counts]
        )
    return frm, values


def node_object(
    schema: SchemaMeta, node: Node, rows: FromClause, form: Form
) -> tuple[Expr, FromClause]:
    """The JSON object of one row of `rows` (a paged subquery of the node's table columns)."""
    model = node.model
    pairs: list[tuple[str, Expr]] = [
        (key, json_value(model.scalars[name], rows.c[name], form))
        for name, key in node.scalars.items()
    ]
    frm, values = join_children(schema, node, rows, form)
    pairs.extend(values.items())
    return json_object(pairs), frm


def _link(
    schema: SchemaMeta, relation: RelationField, target: FromClause, parent: FromClause
) -> tuple[FromClause, ColumnElement[bool]]:
    """The child rows' FROM and the condition tying them to the parent row."""
    if relation.kind == "m2m":
        model = schema.models[relation.target]
        join = schema.join_tables[relation.join_table or ""].alias()
        frm = target.join(join, join.c[relation.join_remote or ""] == target.c[model.id_fields[0]])
        return frm, join.c[relation.join_local or ""] == parent.c[relation.local_fields[0]]
    pairs = zip(relation.local_fields, relation.remote_fields, strict=True)
    return target, and_(*(target.c[r] == parent.c[loc] for loc, r in pairs))


def _paged(schema: SchemaMeta, child: Child, parent: FromClause) -> tuple[Select[JsonValue], bool]:
    """The child's own rows for one parent row, filtered, ordered and paged, numbered `__rn`."""
    target = schema.models[child.relation.target]
    table = target.table.alias()
    frm, condition = _link(schema, child.relation, table, parent)
    args: Mapping[str, JsonValue] = sql_spec(target, child.args)
    take, skip, cursor = args.get("take"), args.get("skip"), args.get("cursor")
    paged = take is not None or skip is not None or cursor is not None
    page = plan_page(target, args.get("order_by", args.get("order")), take, skip, stable=paged)
    conditions = [condition]
    where = args.get("where")
    if where is not None:
        conditions.append(compile_where(schema, target, table, where))
    if cursor is not None:
        conditions.append(cursor_condition(schema, target, table, cursor, page.order))
    ordering = order_by(table, page.order)
    rn = func.row_number().over(order_by=ordering).label(ROW_NUMBER)
    stmt = (
        select(*table.c, rn)
        .select_from(frm)
        .where(*conditions)
        .order_by(*ordering)
        .correlate(parent)
    )
    if not child.relation.is_list:
        stmt = stmt.limit(1)
    elif page.take is not None:
        stmt = stmt.limit(page.take)
    if page.skip:
        stmt = stmt.offset(page.skip)
    return stmt, page.reverse


def _child_lateral(
    schema: SchemaMeta, child: Child, parent: FromClause, form: Form
) -> Select[JsonValue]:
    stmt, reverse = _paged(schema, child, parent)
    rows = stmt.lateral(f"{child.relation.name}_rows")
    obj, frm = node_object(schema, child.node, rows, form)
    if not child.relation.is_list:
        return select(obj.label("v")).select_from(frm)
    rn: Expr = rows.c[ROW_NUMBER]
    agg = func.json_agg(aggregate_order_by(obj, rn.desc() if reverse else rn))
    empty = literal_column("'[]'::json", JSON())
    return select(func.coalesce(agg, empty).label("v")).select_from(frm)


def count_value(schema: SchemaMeta, count: Count, parent: FromClause) -> Expr:
    target: ModelMeta = schema.models[count.relation.target]
    table = target.table.alias()
    frm, condition = _link(schema, count.relation, table, parent)
    conditions = [condition]
    if count.where is not None:
        conditions.append(compile_where(schema, target, table, count.where))
    stmt = select(func.count(literal(1))).select_from(frm).where(*conditions)
    return stmt.scalar_subquery()
