"""Loading `include`d relations: ONE statement per relation per level, never one per parent.

Children of every parent row are fetched together with `link = ANY(:keys)`; per-parent
`take`/`skip` use `ROW_NUMBER() OVER (PARTITION BY link ...)` so they stay in that statement.
Nested includes recurse on all children at once, so a two-level include is three statements.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    any_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.executor import Executor, Rows, Shaped, Statement, Values
from orm.runtime.models import BaseModel
from orm.runtime.query.builders import layout
from orm.runtime.query.hydrate import construct_all
from orm.runtime.query.include_distinct import distinct_groups, sql_spec
from orm.runtime.query.order import Page, cursor_condition, order_by, plan_page
from orm.runtime.query.shaped import UNSHAPED, freeze
from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.query.where import compile_where
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["instances", "materialize"]

Key = tuple[JsonValue, ...]
K = TypeVar("K", bound=Hashable)
PARENT = "__parent"
ROW_NUMBER = "__rn"
_INCLUDE_ARGS = {"where", "order_by", "order", "take", "skip", "cursor", "include", "distinct"}
_SHAPED = {"order_by", "order", "include"}


async def materialize(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    rows: Rows | Sequence[Mapping[str, JsonValue]],
    include: Mapping[str, JsonValue] | None,
) -> list[BaseModel]:
    """Model instances for `rows`, with `include`d relations loaded and attached."""
    if not isinstance(rows, Rows):
        rows = Rows.of(rows)
    if not include:
        return instances(model, rows.columns, rows.values)
    built = layout(model, rows.columns)
    datas = built.build(rows.values)
    fields_set = set(built.fields)
    for name, args in (include or {}).items():
        if not args:
            continue
        relation = model.relations.get(name)
        if relation is None:
            if name == "_count":
                raise InputError(
                    f"{model.name}: include `_count` is not supported.", model=model.name
                )
            raise FieldNotFoundError(model.name, name, "include")
        spec: Mapping[str, JsonValue] = args if is_mapping(args) else {}
        await _attach(ex, schema, relation, rows, datas, spec)
        fields_set.add(name)
    return construct_all(model, datas, fields_set)


def instances(
    model: ModelMeta, columns: tuple[str, ...], values: Sequence[Values]
) -> list[BaseModel]:
    """`materialize` without an `include`, and without a coroutine: one dict per row by the
    layout's compiled `build`, the instances sharing the layout's frozenset of fields."""
    built = layout(model, columns)
    return construct_all(model, built.build(values), built.fields)


def _keys(rows: Rows, names: Sequence[str]) -> list[Key]:
    """Each row's values of the columns `names`."""
    if not rows.values:
        return []  # and no labels either: asyncpg gives them with the rows
    at = [rows.columns.index(name) for name in names]
    if len(at) == 1:
        [i] = at
        return [(values[i],) for values in rows.values]
    return [tuple(values[i] for i in at) for values in rows.values]


async def _attach(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    rows: Rows,
    datas: list[dict[str, JsonValue]],
    spec: Mapping[str, JsonValue],
) -> None:
    unknown = set(spec) - _INCLUDE_ARGS
    if unknown:
        raise InputError(
            f"include `{relation.name}` of {relation.model} takes "
            f"{', '.join(sorted(_INCLUDE_ARGS))}; got {', '.join(sorted(unknown))}.",
            model=relation.model,
            field=relation.name,
        )
    keys = _keys(rows, relation.local_fields)
    wanted = list({k for k in keys if None not in k})
    groups = await _load(ex, schema, relation, wanted, spec) if wanted else {}
    name, is_list = relation.name, relation.is_list
    for key, data in zip(keys, datas, strict=True):
        found = groups.get(key)
        if is_list:
            data[name] = [] if found is None else found
        else:
            data[name] = found[0] if found else None


async def _load(
    ex: Executor,
    schema: SchemaMeta,
    relation: RelationField,
    keys: list[Key],
    spec: Mapping[str, JsonValue],
) -> dict[Key, list[BaseModel]]:
    target = schema.models[relation.target]
    full_spec, spec = spec, sql_spec(target, spec)
    shaped = _shaped(schema, relation, target, keys, spec)
    if shaped is not None:
        stmt: Statement = shaped
        link_names, reverse = list(relation.remote_fields), False
    else:
        stmt, link_names, reverse = _statement(schema, relation, target, keys, spec)
    rows = await ex.fetch_rows(stmt, model=target.name, action="findMany")
    # an m2m's join-table key (PARENT) names no field of the target: instances leave it out
    instances = await materialize(ex, schema, target, rows, spec.get("include"))
    if len(link_names) == 1 and rows.values:  # by the bare value: no tuple per child row
        i = rows.columns.index(link_names[0])
        by_value = _grouped([values[i] for values in rows.values], instances)
        groups = {(value,): group for value, group in by_value.items()}
    else:
        groups = _grouped(_keys(rows, link_names), instances)
    if reverse:
        for group in groups.values():
            group.reverse()
    distinct_groups(groups, full_spec)
    return groups


def _grouped(keys: Sequence[K], instances: list[BaseModel]) -> dict[K, list[BaseModel]]:
    groups: dict[K, list[BaseModel]] = {}
    for key, instance in zip(keys, instances, strict=True):
        group = groups.get(key)
        if group is None:
            groups[key] = [instance]
        else:
            group.append(instance)
    return groups


def _shaped(
    schema: SchemaMeta,
    relation: RelationField,
    target: ModelMeta,
    keys: list[Key],
    spec: Mapping[str, JsonValue],
) -> Shaped | None:
    """A single-column link with at most `order` (and nested `include`): known by its shape."""
    if relation.kind == "m2m" or len(relation.remote_fields) != 1 or not spec.keys() <= _SHAPED:
        return None
    order = freeze(spec.get("order_by", spec.get("order")))
    if order is UNSHAPED:
        return None
    return Shaped(
        ("include", relation.model, relation.name, order),
        ([k[0] for k in keys],),
        lambda: _statement(schema, relation, target, keys, spec)[0],
    )


def _statement(
    schema: SchemaMeta,
    relation: RelationField,
    target: ModelMeta,
    keys: list[Key],
    spec: Mapping[str, JsonValue],
) -> tuple[Select[JsonValue], list[str], bool]:
    table = target.table
    columns = list(target.select_columns)
    if relation.kind == "m2m":
        join = schema.join_tables[relation.join_table or ""]
        frm: FromClause = table.join(
            join, join.c[relation.join_remote or ""] == table.c[target.id_fields[0]]
        )
        link_cols: list[ColumnElement[JsonValue]] = [join.c[relation.join_local or ""]]
        columns.append(link_cols[0].label(PARENT))
        link_names = [PARENT]
    else:
        frm = table
        link_cols = [table.c[f] for f in relation.remote_fields]
        link_names = list(relation.remote_fields)
    take, skip, cursor = spec.get("take"), spec.get("skip"), spec.get("cursor")
    paged = take is not None or skip is not None or cursor is not None
    order = spec.get("order_by", spec.get("order"))
    page = plan_page(target, order, take, skip, stable=paged, schema=schema)
    condition = _keys_condition(link_cols, keys)
    where = spec.get("where")
    if where is not None:
        condition = and_(condition, compile_where(schema, target, table, where))
    if cursor is not None:  # each parent's children from the cursor row on, in `order`
        condition = and_(condition, cursor_condition(schema, target, table, cursor, page.order))
    if relation.is_list and (page.take is not None or page.skip):
        return _windowed(frm, columns, condition, link_cols, page, table), link_names, page.reverse
    base = target.statements.select if relation.kind != "m2m" else select(*columns).select_from(frm)
    stmt = base.where(condition).order_by(*order_by(table, page.order))
    return stmt, link_names, page.reverse


def _keys_condition(cols: list[ColumnElement[JsonValue]], keys: list[Key]) -> ColumnElement[bool]:
    if len(cols) == 1:
        return cols[0] == any_(bindparam(None, [k[0] for k in keys], type_=ARRAY(cols[0].type)))
    return or_(*(and_(*(c == v for c, v in zip(cols, k, strict=True))) for k in keys))


def _windowed(
    frm: FromClause,
    columns: list[ColumnElement[JsonValue]],
    condition: ColumnElement[bool],
    link_cols: list[ColumnElement[JsonValue]],
    page: Page,
    table: FromClause,
) -> Select[JsonValue]:
    ordering = order_by(table, page.order)
    rn = func.row_number().over(partition_by=link_cols, order_by=ordering).label(ROW_NUMBER)
    inner = select(*columns, rn).select_from(frm).where(condition).subquery()
    low = page.skip or 0
    bounds = inner.c[ROW_NUMBER] > low
    if page.take is not None:
        bounds = and_(bounds, inner.c[ROW_NUMBER] <= low + page.take)
    outer_cols: list[ColumnElement[JsonValue]] = [c for c in inner.c if c.key != ROW_NUMBER]
    return select(*outer_cols).where(bounds).order_by(inner.c[ROW_NUMBER])
