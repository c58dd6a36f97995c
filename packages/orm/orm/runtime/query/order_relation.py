"""Order by what is not a column of the model (Prisma's `orderBy` beyond scalars):

- a to-one relation's field, at any depth: `{"author": {"name": "asc"}}`;
- a to-many relation's count: `{"posts": {"_count": "desc"}}`;
- full-text relevance (PostgreSQL): `{"_relevance": {"fields": ["title"], "search": "cat",
  "sort": "desc"}}`, ranked with `ts_rank` against the same `to_tsquery` as the `search` filter.

Each becomes an `OrderExpr`: an expression built against whichever FROM the query orders (the
model's table, or an alias of it in an include or a cursor), as a correlated scalar subquery, so
a record without the related row still sorts (as NULL, like Prisma's LEFT JOIN).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, FromClause, func, select

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.query.search import relevance
from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["OrderExpr", "relation_order", "relevance_order"]

Expr = ColumnElement[JsonValue]
Direction = tuple[bool, str | None]
"""(descending, nulls "first"/"last" or None)."""


@dataclass(frozen=True, slots=True)
class OrderExpr:
    """An ORDER BY expression that is not one of the model's columns."""

    key: Hashable
    """What it orders by, for equality (`plan_page` compares order items)."""
    build: Callable[[FromClause], Expr] = field(compare=False, hash=False)


Leaf = str | OrderExpr
Parse = Callable[[ModelMeta, Mapping[str, JsonValue]], tuple[Leaf, bool, str | None]]


def _column(leaf: Leaf, table: FromClause) -> Expr:
    return table.c[leaf] if isinstance(leaf, str) else leaf.build(table)


def relation_order(
    schema: SchemaMeta,
    model: ModelMeta,
    relation: RelationField,
    value: JsonValue,
    parse_item: Parse,
) -> tuple[OrderExpr, bool, str | None]:
    """`{relation: value}` as an order item; `parse_item` parses the target's own order dict."""
    from orm.runtime.query.where import link_condition

    target = schema.models[relation.target]
    if not is_mapping(value):
        raise InputError(
            f"{model.name}.{relation.name}: order by a relation with a dict: "
            + ('{"_count": "asc"}' if relation.is_list else '{"<field>": "asc"}')
            + ".",
            model=model.name,
            field=relation.name,
        )
    if relation.is_list:
        desc, nulls = _count_direction(model, relation, value)

        def count(table: FromClause) -> Expr:
            child = target.table.alias()
            condition, frm = link_condition(schema, relation, table, child)
            return select(func.count()).select_from(frm).where(condition).scalar_subquery()

        return OrderExpr((model.name, relation.name, "_count"), count), desc, nulls
    leaf, desc, nulls = parse_item(target, value)

    def related(table: FromClause) -> Expr:
        child = target.table.alias()
        condition, frm = link_condition(schema, relation, table, child)
        inner = _column(leaf, child)
        return select(inner).select_from(frm).where(condition).limit(1).scalar_subquery()

    key = (model.name, relation.name, leaf.key if isinstance(leaf, OrderExpr) else leaf)
    return OrderExpr(key, related), desc, nulls


def _count_direction(
    model: ModelMeta, relation: RelationField, value: Mapping[str, JsonValue]
) -> Direction:
    if set(value) != {"_count"} or value["_count"] not in ("asc", "desc"):
        raise InputError(
            f"{model.name}.{relation.name} is a list: order by its count, "
            '{"_count": "asc"} or {"_count": "desc"}.',
            model=model.name,
            field=relation.name,
        )
    return value["_count"] == "desc", None


def relevance_order(model: ModelMeta, value: JsonValue) -> tuple[OrderExpr, bool, str | None]:
    """`{"_relevance": {"fields": [...], "search": "...", "sort": "asc" | "desc"}}`."""
    if not is_mapping(value) or not {"fields", "search", "sort"} <= set(value):
        raise InputError(
            f'{model.name}: `_relevance` takes {{"fields": [...], "search": "...", '
            '"sort": "asc" | "desc"}.',
            model=model.name,
        )
    fields: JsonValue = value["fields"]
    names: Sequence[JsonValue] = [fields] if isinstance(fields, str) else fields
    if not is_sequence(names) or not names:
        raise InputError(f"{model.name}: `_relevance.fields` names one field or more.")
    for name in names:
        scalar = model.scalars.get(str(name))
        if scalar is None or scalar.type != "String" or scalar.is_list:
            raise FieldNotFoundError(
                model.name,
                str(name),
                message=f"`_relevance` ranks String fields; {model.name}.{name} is not one.",
            )
    search, sort = value["search"], value["sort"]
    if not isinstance(search, str) or sort not in ("asc", "desc"):
        raise InputError(f"{model.name}: `_relevance` needs a str `search` and a `sort`.")
    columns = [str(n) for n in names]

    def rank(table: FromClause) -> Expr:
        return relevance([table.c[n] for n in columns], search)

    return OrderExpr((model.name, "_relevance", tuple(columns), search), rank), sort == "desc", None
