"""Top-level reads: find_many / find_first / find_unique statements and their results."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, select

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.executor import Executor, Rows, Shaped, Statement, Values
from orm.runtime.models import BaseModel
from orm.runtime.query.include import instances, materialize
from orm.runtime.query.omit import kept_columns
from orm.runtime.query.order import cursor_condition, order_by, plan_page
from orm.runtime.query.shaped import UNSHAPED, freeze, shaped_where
from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["FindArgs", "find_many", "find_statement", "find_unique", "unique_statement"]

Args = Mapping[str, JsonValue]


@dataclass(slots=True)
class FindArgs:
    where: Args | None = None
    order: JsonValue = None
    take: int | None = None
    skip: int | None = None
    cursor: Args | None = None
    distinct: Sequence[str] | None = None
    include: Args | None = None
    omit: frozenset[str] = frozenset()
    """Fields not to select (see `omit.kept_columns`)."""


def find_statement(
    schema: SchemaMeta, model: ModelMeta, args: FindArgs
) -> tuple[Select[JsonValue], bool]:
    """The SELECT, and whether its rows come back reversed (negative `take`)."""
    table = model.table
    stable = args.cursor is not None
    page = plan_page(model, args.order, args.take, args.skip, stable=stable, schema=schema)
    conditions: list[ColumnElement[bool]] = []
    if args.where:
        conditions.append(compile_where(schema, model, table, args.where))
    if args.cursor is not None:
        conditions.append(cursor_condition(schema, model, table, args.cursor, page.order))
    stmt = _select(model, args.omit, args.include, args.distinct)
    if conditions:
        stmt = stmt.where(*conditions)
    if page.order:
        stmt = stmt.order_by(*order_by(table, page.order))
    if not args.distinct:
        if page.take is not None:
            stmt = stmt.limit(page.take)
        if page.skip:
            stmt = stmt.offset(page.skip)
    return stmt, page.reverse


def _select(
    model: ModelMeta, omit: frozenset[str], include: Args | None, distinct: Sequence[str] | None
) -> Select[JsonValue]:
    if not omit:
        return model.statements.select
    return select(*kept_columns(model, omit, include, distinct))


def _check_distinct(model: ModelMeta, distinct: Sequence[str] | None) -> None:
    for name in distinct or ():
        if name not in model.scalars:
            raise FieldNotFoundError(model.name, name, "distinct")


def _distinct(rows: Rows, args: FindArgs) -> Rows:
    """Prisma applies `distinct` after ordering and before skip/take, keeping first rows."""
    seen: set[tuple[JsonValue, ...]] = set()
    kept: list[Values] = []
    at = [rows.columns.index(n) for n in args.distinct or ()]
    for values in rows.values:
        key = tuple(_hashable(values[i]) for i in at)
        if key not in seen:
            seen.add(key)
            kept.append(values)
    skip = args.skip or 0
    if args.take is not None and args.take < 0:  # the last rows, counted from the end
        end = len(kept) - skip
        return Rows(rows.columns, kept[max(end + args.take, 0) : max(end, 0)])
    return Rows(rows.columns, kept[skip : None if args.take is None else skip + args.take])


def _hashable(value: JsonValue) -> JsonValue:
    return tuple(value) if is_sequence(value) else value


def _shaped_find(schema: SchemaMeta, model: ModelMeta, args: FindArgs) -> Shaped | None:
    """The find's `Shaped` when its arguments are simple (see `shaped`), else None."""
    take, skip = args.take, args.skip
    if args.cursor is not None or args.distinct:
        return None
    if not (take is None or type(take) is int) or not (skip is None or type(skip) is int):
        return None
    order = freeze(args.order)
    if order is UNSHAPED or (skip is not None and skip < 0):
        return None
    limits = ((abs(take),) if take is not None else ()) + ((skip,) if skip else ())
    shape = (
        order,
        None if take is None else take < 0,
        bool(skip),
        _columns_key(model, args.omit, args.include),
    )
    return shaped_where(
        model,
        "findMany",
        args.where,
        lambda: find_statement(schema, model, args)[0],
        tail=(shape, limits),
    )


def _columns_key(model: ModelMeta, omit: frozenset[str], include: Args | None) -> Hashable:
    """The selected columns, as part of a shape key (see `_select`)."""
    if not omit:
        return ()
    return tuple(c.name for c in kept_columns(model, omit, include))


async def find_many(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, args: FindArgs, *, action: str = "findMany"
) -> list[BaseModel]:
    _check_distinct(model, args.distinct)
    shaped = _shaped_find(schema, model, args)
    if shaped is not None:
        stmt: Statement = shaped
        reverse = args.take is not None and args.take < 0
    else:
        stmt, reverse = find_statement(schema, model, args)
    rows = await ex.fetch_rows(stmt, model=model.name, action=action)
    if reverse:
        rows = Rows(rows.columns, rows.values[::-1])
    if args.distinct and rows:
        rows = _distinct(rows, args)
    return await materialize(ex, schema, model, rows, args.include)


def unique_statement(
    schema: SchemaMeta,
    model: ModelMeta,
    where: Args,
    action: str,
    columns: Select[JsonValue] | None = None,
) -> Select[JsonValue]:
    condition = compile_unique(schema, model, model.table, where, action)
    return (model.statements.select if columns is None else columns).where(condition)


async def find_unique(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    where: Args,
    include: Args | None,
    omit: frozenset[str] = frozenset(),
) -> BaseModel | None:
    columns = _select(model, omit, include, None)

    def build() -> Select[JsonValue]:
        return unique_statement(schema, model, where, "find_unique", columns)

    tail = (_columns_key(model, omit, include), ())
    stmt = shaped_where(model, "findUnique", where, build, tail=tail) or build()
    rows = await ex.fetch_rows(stmt, model=model.name, action="findUnique")
    if not rows:
        return None
    if not include:
        return instances(model, rows.columns, rows.values[:1])[0]
    return (await materialize(ex, schema, model, Rows(rows.columns, rows.values[:1]), include))[0]


def check_include(model: ModelMeta, include: Args | None) -> None:
    for name in include or {}:
        if name not in model.relations:
            raise FieldNotFoundError(model.name, name, "include")
    if include is not None and not is_mapping(include):
        raise InputError(f"{model.name}: `include` must be a dict.", model=model.name)
