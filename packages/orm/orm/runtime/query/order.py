"""`order`, `cursor`, `take` (negative too) and `skip` → ORDER BY / WHERE / LIMIT / OFFSET."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, FromClause, and_, or_, select

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.query.order_relation import OrderExpr, relation_order, relevance_order
from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import ModelMeta
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "OrderItem",
    "Page",
    "column",
    "cursor_condition",
    "order_by",
    "parse_order",
    "plan_page",
    "single_key",
]

Bool = ColumnElement[bool]
OrderItem = tuple[str | OrderExpr, bool, str | None]
"""(field or expression, descending, nulls "first"/"last" or None)."""


def parse_order(
    model: ModelMeta, order: JsonValue, schema: SchemaMeta | None = None
) -> list[OrderItem]:
    """`order` (a dict or a list of dicts) as order items; with `schema`, relations and
    `_relevance` too (see `order_relation`)."""
    if order is None:
        return []
    items: Sequence[Mapping[str, JsonValue]] = [order] if is_mapping(order) else order
    return [_item(model, item, schema) for item in items if item]


def _item(model: ModelMeta, item: Mapping[str, JsonValue], schema: SchemaMeta | None) -> OrderItem:
    [(name, direction)] = single_key(model, item, "OrderByWithRelationInput")
    if name in model.scalars:
        return _direction(model, name, direction)
    if name == "_relevance" and schema is not None:
        return relevance_order(model, direction)
    relation = model.relations.get(name)
    if relation is not None and schema is not None:

        def nested(target: ModelMeta, value: Mapping[str, JsonValue]) -> OrderItem:
            return _item(target, value, schema)

        return relation_order(schema, model, relation, direction, nested)
    if relation is not None:
        raise InputError(
            f"{model.name}: ordering by the relation `{name}` is not supported here; "
            "order by a scalar field.",
            model=model.name,
            field=name,
        )
    raise FieldNotFoundError(model.name, name, "order")


def single_key(
    model: ModelMeta, item: Mapping[str, JsonValue], input_type: str
) -> list[tuple[str, JsonValue]]:
    """The one (field, direction) of an order dict: Prisma refuses several fields in one dict
    (their order would depend on the dict's), so a list of dicts orders by several."""
    if len(item) > 1:
        names = list(item)
        raise InputError(
            f"Argument `orderBy` of type {model.name}{input_type} needs exactly one argument, "
            f"but you provided {', '.join(names[:-1])} and {names[-1]} (Expected a minimum of 0 "
            f"and at most 1 fields to be present, got {len(names)}). Please choose one. "
            "Order by several fields with a list: "
            + repr([{name: value} for name, value in item.items()]),
            model=model.name,
        )
    return list(item.items())


def _direction(model: ModelMeta, name: str, direction: JsonValue) -> OrderItem:
    nulls: JsonValue = None
    if is_mapping(direction):
        nulls = direction.get("nulls")
        direction = direction.get("sort")
    if direction not in ("asc", "desc") or nulls not in (None, "first", "last"):
        raise InputError(
            f"{model.name}.{name}: order must be 'asc' or 'desc' "
            "(or {'sort': 'asc'|'desc', 'nulls': 'first'|'last'}).",
            model=model.name,
            field=name,
        )
    return (name, direction == "desc", nulls)


def column(table: FromClause, leaf: str | OrderExpr) -> ColumnElement[JsonValue]:
    """What an order item sorts by, on `table` (the model's table or an alias of it)."""
    return table.c[leaf] if isinstance(leaf, str) else leaf.build(table)


def order_by(table: FromClause, items: Sequence[OrderItem]) -> list[ColumnElement[JsonValue]]:
    clauses: list[ColumnElement[JsonValue]] = []
    for name, desc, nulls in items:
        col = column(table, name)
        clause = col.desc() if desc else col.asc()
        if nulls == "first":
            clause = clause.nulls_first()
        elif nulls == "last":
            clause = clause.nulls_last()
        clauses.append(clause)
    return clauses


@dataclass(slots=True)
class Page:
    order: list[OrderItem]
    take: int | None
    skip: int | None
    reverse: bool
    """Rows come back in reversed order (negative take) and must be flipped."""


def plan_page(
    model: ModelMeta,
    order: JsonValue,
    take: int | None,
    skip: int | None,
    *,
    stable: bool,
    schema: SchemaMeta | None = None,
) -> Page:
    """Order with the id appended as a tie-breaker when pagination needs a stable order."""
    checked: tuple[tuple[str, object], ...] = (("take", take), ("skip", skip))
    for name, value in checked:
        if value is not None and (type(value) is not int):
            raise InputError(f"{model.name}: `{name}` must be an int.", model=model.name)
    if skip is not None and skip < 0:
        raise InputError(f"{model.name}: `skip` must not be negative.", model=model.name)
    items = parse_order(model, order, schema)
    if stable or (take is not None and take < 0):
        named = {name for name, _, _ in items}
        items += [(f, False, None) for f in model.id_fields if f not in named]
    reverse = take is not None and take < 0
    if reverse:
        items = [
            (n, not d, {"first": "last", "last": "first"}.get(nulls or "")) for n, d, nulls in items
        ]
    return Page(items, abs(take) if take is not None else None, skip, reverse)


def cursor_condition(
    schema: SchemaMeta,
    model: ModelMeta,
    table: FromClause,
    cursor: Mapping[str, JsonValue],
    order: Sequence[OrderItem],
) -> Bool:
    """Rows at or after the cursor row in `order` (Prisma's cursor is inclusive)."""
    from orm.runtime.query.where import compile_unique

    ref = model.table.alias()
    at_cursor = compile_unique(schema, model, ref, cursor, "cursor")
    values = [select(column(ref, name)).where(at_cursor).scalar_subquery() for name, _, _ in order]
    ors: list[Bool] = []
    for i, (name, desc, _) in enumerate(order):
        eqs = [column(table, order[j][0]) == values[j] for j in range(i)]
        col = column(table, name)
        ors.append(and_(*eqs, col < values[i] if desc else col > values[i]))
    ors.append(and_(*(column(table, n) == v for (n, _, _), v in zip(order, values, strict=True))))
    return or_(*ors)
