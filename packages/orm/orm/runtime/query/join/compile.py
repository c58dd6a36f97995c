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
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Join,
    Select,
    Text,
    and_,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by

from orm.runtime.query.include_distinct import sql_spec
from orm.runtime.query.join.values import Form, json_value
from orm.runtime.query.order import Page, cursor_condition, order_by, plan_page
from orm.runtime.query.selection import Child, Count, Node
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.query.where import compile_where
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "ROW_NUMBER",
    "Aliases",
    "Joined",
    "count_value",
    "join_children",
    "json_object",
    "node_object",
]

ROW_NUMBER = "__rn"
_PAIRS_PER_CALL = 50
"""json_build_object takes at most 100 arguments; wider objects are built in parts and merged."""
Expr = ColumnElement[JsonValue]
Joined = tuple[FromClause, dict[str, Expr]]


def json_object(pairs: list[tuple[str, Expr]]) -> Expr:
    """`json_build_object(k1, v1, ...)`; over 50 keys, jsonb parts concatenated (jsonb orders
    keys its own way, so key order is kept only up to 50 keys)."""
    parts = [
        func.json_build_object(
            *(x for k, v in pairs[i : i + _PAIRS_PER_CALL] for x in (_key(k), v))
        )
        for i in range(0, max(len(pairs), 1), _PAIRS_PER_CALL)
    ]
    if len(parts) == 1:
        return parts[0]
    merged: Expr = func.jsonb_build_object()
    for part in parts:
        merged = merged.op("||")(func.to_jsonb(part))
    return merged.cast(JSON())


class Aliases:
    """Table aliases for one statement: the n-th use of a table in a statement gets the n-th
    alias, and aliases are kept between statements (an alias is immutable, and building its
    column collection is most of what building a statement would cost)."""

    _kept: ClassVar[dict[tuple[FromClause, int], FromClause]] = {}

    def __init__(self) -> None:
        self._used: dict[FromClause, int] = {}

    def __call__(self, table: FromClause) -> FromClause:
        n = self._used.get(table, 0)
        self._used[table] = n + 1
        alias = self._kept.get((table, n))
        if alias is None:
            alias = self._kept[table, n] = table.alias(f"{table.description}_{n}")
        return alias


def _key(key: str) -> Expr:
    """An object key as a SQL string literal: keys are field names or the output keys a
    caller's code chose (never request values); quotes are doubled, so any text is safe."""
    literal = _KEYS.get(key)
    if literal is None:
        literal = literal_column("'" + key.replace("'", "''") + "'", Text())
        if len(_KEYS) < _KEPT_KEYS:
            _KEYS[key] = literal
    return literal


_KEYS: dict[str, Expr] = {}
_KEPT_KEYS = 10_000


def join_children(
    schema: SchemaMeta, node: Node, rows: FromClause, form: Form, aliases: Aliases
) -> Joined:
    """`rows` with a lateral join per child relation; the value expression of each relation
    (and of `_count`) by output key."""
    frm = rows
    values: dict[str, Expr] = {}
    for i, child in enumerate(node.children):
        lateral = _child(schema, child, rows, form, aliases).lateral(f"{child.relation.name}_{i}")
        frm = frm.outerjoin(lateral, true())
        values[child.key] = lateral.c.v
    if node.counts is not None:
        values[node.count_key] = json_object(
            [(c.key, count_value(schema, c, rows, aliases)) for c in node.counts]
        )
    return frm, values


def node_object(
    schema: SchemaMeta, node: Node, rows: FromClause, form: Form, aliases: Aliases
) -> tuple[Expr, FromClause]:
    """The JSON object of one row of `rows` (the node's table, an alias or a paged subquery)."""
    model = node.model
    pairs: list[tuple[str, Expr]] = [
        (key, json_value(model.scalars[name], rows.c[name], form))
        for name, key in node.scalars.items()
    ]
    frm, values = join_children(schema, node, rows, form, aliases)
    pairs.extend(values.items())
    return json_object(pairs), frm


def _link(
    schema: SchemaMeta,
    relation: RelationField,
    target: FromClause,
    parent: FromClause,
    aliases: Aliases,
) -> tuple[FromClause, ColumnElement[bool]]:
    """The child rows' FROM and the condition tying them to the parent row."""
    if relation.kind == "m2m":
        model = schema.models[relation.target]
        join = aliases(schema.join_tables[relation.join_table or ""])
        frm = target.join(join, join.c[relation.join_remote or ""] == target.c[model.id_fields[0]])
        return frm, join.c[relation.join_local or ""] == parent.c[relation.local_fields[0]]
    pairs = zip(relation.local_fields, relation.remote_fields, strict=True)
    return target, and_(*(target.c[r] == parent.c[loc] for loc, r in pairs))


@dataclass(slots=True)
class _Level:
    """One child level's rows for one parent row: FROM, conditions, order and paging."""

    table: FromClause
    frm: FromClause
    conditions: list[ColumnElement[bool]]
    ordering: list[Expr]
    page: Page

    def select(self, *columns: Expr, parent: FromClause, limit: bool) -> Select[JsonValue]:
        stmt = select(*columns).select_from(self.frm).where(*self.conditions).correlate(parent)
        if not limit:
            return stmt
        stmt = stmt.order_by(*self.ordering).limit(self.page.take)
        return stmt.offset(self.page.skip) if self.page.skip else stmt


def _level(schema: SchemaMeta, child: Child, parent: FromClause, aliases: Aliases) -> _Level:
    target = schema.models[child.relation.target]
    table = aliases(target.table)
    frm, condition = _link(schema, child.relation, table, parent, aliases)
    args: Mapping[str, JsonValue] = sql_spec(target, child.args)
    take, skip, cursor = args.get("take"), args.get("skip"), args.get("cursor")
    paged = take is not None or skip is not None or cursor is not None
    page = plan_page(target, args.get("order_by", args.get("order")), take, skip, stable=paged)
    if not child.relation.is_list:
        page.take = 1
    conditions = [condition]
    where = args.get("where")
    if where is not None:
        conditions.append(compile_where(schema, target, table, where))
    if cursor is not None:
        conditions.append(cursor_condition(schema, target, table, cursor, page.order))
    return _Level(table, frm, conditions, order_by(table, page.order), page)


def _child(
    schema: SchemaMeta, child: Child, parent: FromClause, form: Form, aliases: Aliases
) -> Select[JsonValue]:
    """The lateral subquery whose one column `v` is the relation's JSON for one parent row.

    Without paging (or for a to-one relation) the objects are built and aggregated straight
    from the child table. With `take`/`skip`, the rows are paged first in a subquery numbered
    `__rn`, and a level with relations of its own joins them onto those rows only."""
    level = _level(schema, child, parent, aliases)
    page, is_list = level.page, child.relation.is_list
    if not is_list or (page.take is None and not page.skip):
        obj, frm = node_object(schema, child.node, level.table, form, aliases)
        level.frm = frm if level.frm is level.table else _rejoin(level.frm, frm, level.table)
        if not is_list:
            return level.select(obj.label("v"), parent=parent, limit=True)
        agg = func.json_agg(aggregate_order_by(obj, *level.ordering) if level.ordering else obj)
        return level.select(_or_empty(agg), parent=parent, limit=False)
    rn = func.row_number().over(order_by=level.ordering).label(ROW_NUMBER)
    if child.node.children:
        rows = level.select(*level.table.c, rn, parent=parent, limit=True).lateral("paged")
        obj, frm = node_object(schema, child.node, rows, form, aliases)
        rows_rn: Expr = rows.c[ROW_NUMBER]
        agg = func.json_agg(aggregate_order_by(obj, rows_rn.desc() if page.reverse else rows_rn))
        return select(_or_empty(agg)).select_from(frm)
    obj, _ = node_object(schema, child.node, level.table, form, aliases)
    rows = level.select(obj.label("j"), rn, parent=parent, limit=True).lateral("paged")
    paged_rn: Expr = rows.c[ROW_NUMBER]
    agg = func.json_agg(aggregate_order_by(rows.c.j, paged_rn.desc() if page.reverse else paged_rn))
    return select(_or_empty(agg))


def _rejoin(link: FromClause, joined: FromClause, table: FromClause) -> FromClause:
    """An m-n link's FROM (table JOIN join-table) with the laterals `joined` hangs on `table`."""
    frm = link
    for right in _laterals(joined, table):
        frm = frm.outerjoin(right, true())
    return frm


def _laterals(joined: FromClause, table: FromClause) -> list[FromClause]:
    found: list[FromClause] = []
    while isinstance(joined, Join) and joined is not table:
        found.insert(0, joined.right)
        joined = joined.left
    return found


def _or_empty(agg: Expr) -> ColumnElement[JsonValue]:
    return func.coalesce(agg, literal_column("'[]'::json", JSON())).label("v")


def count_value(schema: SchemaMeta, count: Count, parent: FromClause, aliases: Aliases) -> Expr:
    target: ModelMeta = schema.models[count.relation.target]
    table = aliases(target.table)
    frm, condition = _link(schema, count.relation, table, parent, aliases)
    conditions = [condition]
    if count.where is not None:
        conditions.append(compile_where(schema, target, table, count.where))
    stmt = select(func.count()).select_from(frm).where(*conditions).correlate(parent)
    return stmt.scalar_subquery()
