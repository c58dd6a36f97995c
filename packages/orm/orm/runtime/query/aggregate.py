"""`count` and `group_by`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, FromClause, Select, func, literal_column, select

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.executor import Executor
from orm.runtime.query.columns import read_expression
from orm.runtime.query.having import AGGREGATES, aggregate, check_having, compile_having
from orm.runtime.query.order import cursor_condition, plan_page, single_key
from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import Converter, ModelMeta
from orm.runtime.query.where import compile_where
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["aggregate_fields", "aggregate_value", "count", "group_by"]

Args = Mapping[str, JsonValue]
Expr = ColumnElement[JsonValue]
_NUMERIC = {"Int", "BigInt", "Float", "Decimal"}


async def count(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    *,
    select_: Args | None,
    take: int | None,
    skip: int | None,
    where: Args | None,
    cursor: Args | None,
) -> int | dict[str, int]:
    table = model.table
    page = plan_page(model, None, take, skip, stable=cursor is not None)
    fields = [k for k, v in (select_ or {}).items() if v]
    if select_ is not None and not fields:  # select={} counts rows, as a dict
        fields = ["_all"]
    for name in fields:
        if name != "_all" and name not in model.scalars:
            raise FieldNotFoundError(model.name, name, "count select")
    picked: list[Expr] = [table.c[f] for f in fields if f != "_all"] or [literal_column("1")]
    inner: Select[JsonValue] = select(*picked).select_from(table)
    if where:
        inner = inner.where(compile_where(schema, model, table, where))
    if cursor is not None:
        inner = inner.where(cursor_condition(schema, model, table, cursor, page.order))
    if page.take is not None or page.skip:
        from orm.runtime.query.order import order_by

        inner = inner.order_by(*order_by(table, page.order)).limit(page.take).offset(page.skip)
    sub = inner.subquery()
    if not fields:
        rows = await ex.fetch(
            select(func.count().label("_all")).select_from(sub), model=model.name, action="count"
        )
        return int(rows[0]["_all"])
    cols = [(func.count() if f == "_all" else func.count(sub.c[f])).label(f) for f in fields]
    rows = await ex.fetch(select(*cols).select_from(sub), model=model.name, action="count")
    return {f: int(rows[0][f]) for f in fields}


def aggregate_fields(model: ModelMeta, kind: str, spec: JsonValue) -> list[str]:
    if spec is None or spec is False:
        return []
    if spec is True:
        return ["_all"] if kind == "_count" else []
    names = [k for k, v in spec.items() if v]
    for name in names:
        if name == "_all" and kind == "_count":
            continue
        field = model.scalars.get(name)
        if field is None:
            raise FieldNotFoundError(model.name, name, kind)
        if kind in ("_avg", "_sum") and field.type not in _NUMERIC:
            raise InputError(
                f"{model.name}.{name} is not a number: `{kind}` needs a numeric field.",
                model=model.name,
                field=name,
            )
    return names


def group_by_statement(
    schema: SchemaMeta,
    model: ModelMeta,
    by: Sequence[str],
    aggregates: Mapping[str, JsonValue],
    args: Args,
) -> tuple[Select[JsonValue], list[tuple[str, str]]]:
    table = model.table
    if not by:
        raise InputError(
            f"{model.name}.group_by needs at least one field in `by`.", model=model.name
        )
    for name in by:
        if name not in model.scalars:
            raise FieldNotFoundError(model.name, name, "group_by by")
    wanted = [
        (kind, name)
        for kind, spec in aggregates.items()
        for name in aggregate_fields(model, kind, spec)
    ]
    cols: list[Expr] = [read_expression(model.scalars[b], table.c[b]).label(b) for b in by]
    cols += [aggregate(table, kind, name).label(f"{kind}__{name}") for kind, name in wanted]
    stmt = select(*cols).select_from(table).group_by(*(table.c[b] for b in by))
    if args.get("where"):
        stmt = stmt.where(compile_where(schema, model, table, args["where"]))
    if args.get("having"):
        check_having(model, args["having"], list(by))
        stmt = stmt.having(compile_having(model, table, args["having"]))
    stmt = stmt.order_by(*_group_order(model, table, args.get("order"), by))
    if args.get("take") is not None:
        stmt = stmt.limit(args["take"])
    if args.get("skip"):
        stmt = stmt.offset(args["skip"])
    return stmt, wanted


def _group_order(
    model: ModelMeta, table: FromClause, order: JsonValue, by: Sequence[str]
) -> list[Expr]:
    items: Sequence[Mapping[str, JsonValue]] = (
        [] if order is None else [order] if is_mapping(order) else order
    )
    missing = [k for item in items for k in item if k in model.scalars and k not in by]
    if missing:
        raise InputError(
            "Every field used for orderBy must be included in the by-arguments of the query. "
            f"Missing fields: {', '.join(missing)}",
            model=model.name,
            field=missing[0],
        )
    clauses: list[Expr] = []
    for item in items:
        for key, value in single_key(model, item, "OrderByWithAggregationInput"):
            if key in AGGREGATES and is_mapping(value):
                for name, direction in value.items():
                    expr = aggregate(table, key, name)
                    clauses.append(expr.desc() if direction == "desc" else expr.asc())
            elif key in model.scalars:
                clauses.append(table.c[key].desc() if value == "desc" else table.c[key].asc())
            else:
                raise FieldNotFoundError(model.name, key, "group_by order")
    return clauses


async def group_by(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    by: Sequence[str],
    aggregates: Mapping[str, JsonValue],
    args: Args,
) -> list[dict[str, JsonValue]]:
    from orm.runtime.query.hydrate import convert_row

    stmt, wanted = group_by_statement(schema, model, by, aggregates, args)
    rows = await ex.fetch(stmt, model=model.name, action="groupBy")
    converters = dict(model.converters)
    out: list[dict[str, JsonValue]] = []
    for row in rows:
        item = convert_row(model, {b: row[b] for b in by})
        for kind, name in wanted:
            value = row[f"{kind}__{name}"]
            if value is not None:
                value = aggregate_value(model, kind, name, value, converters)
            item.setdefault(kind, {})[name] = value
        out.append(item)
    return out


def aggregate_value(
    model: ModelMeta, kind: str, name: str, value: JsonValue, converters: Mapping[str, Converter]
) -> JsonValue:
    """An aggregate as prisma-client-py types it: averages are floats, sums of Int/BigInt ints
    (PostgreSQL's SUM(bigint) is numeric), DateTime minima/maxima UTC-aware like model reads,
    an enum's stored value its member."""
    if kind == "_avg":
        return float(value)
    if name == "_all":
        return value
    field = model.scalars[name]
    if kind == "_sum" and field.type in ("Int", "BigInt"):
        return int(value)
    if kind in ("_min", "_max") and isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if kind in ("_min", "_max") and name in converters:
        return converters[name](value)
    return value
