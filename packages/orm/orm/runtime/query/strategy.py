"""Prisma's `relationLoadStrategy`: which way a read with relations loads them.

- `"query"` (the default): one statement per relation per level (`include.py`), each child
  table read once for all parents; rows hydrate straight from asyncpg.
- `"join"`: ONE statement for the whole tree (`join/`), PostgreSQL building each parent's
  children as JSON. Fewer round trips and no per-level statements, at the price of JSON
  encoding in the database and decoding here. `distinct` inside a tree falls back to "query"
  (as Prisma does).

`select` and relation `_count` work with both; `query` counts with one statement per level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, cast

from sqlalchemy import Select, any_, bindparam, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY

from orm.runtime.errors import InputError
from orm.runtime.executor import Executor
from orm.runtime.models import BaseModel
from orm.runtime.query.join.compile import Aliases, count_value
from orm.runtime.query.join.decode import field_set
from orm.runtime.query.join.read import find_many_joined, find_unique_joined
from orm.runtime.query.read import FindArgs, find_many, find_unique
from orm.runtime.query.selection import COUNT, COUNT_FIELD, Node, parse_selection
from orm.runtime.query.shapes import is_mapping
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["Strategy", "read_many", "read_unique"]

Strategy = Literal["query", "join"]
Args = Mapping[str, JsonValue]


def _strategy(strategy: str | None) -> Strategy:
    if strategy is None or strategy == "query":
        return "query"
    if strategy == "join":
        return "join"
    raise InputError(f"relation_load_strategy must be 'query' or 'join', not {strategy!r}.")


def _needs_tree(include: JsonValue) -> bool:
    """Whether an `include` asks for more than the batched loader does alone (`_count`, or a
    relation's own `select`)."""
    if not is_mapping(include):
        return False
    for name, value in include.items():
        if name == COUNT and value:
            return True
        if is_mapping(value) and ("select" in value or _needs_tree(value.get("include"))):
            return True
    return False


async def read_many(
    ex: Executor,
    schema: SchemaMeta,
    args: FindArgs,
    *,
    model_name: str,
    select_: Args | None,
    strategy: str | None,
    action: str,
) -> list[BaseModel]:
    model = schema.models[model_name]
    how = _strategy(strategy)
    if select_ is None and how == "query" and not _needs_tree(args.include):
        return await find_many(ex, schema, model, args, action=action)
    node = parse_selection(schema, model, select_, args.include)
    if how == "join" and not args.distinct and not node.has_distinct:
        return await find_many_joined(ex, schema, model, args, node, action)
    args.include = include_of(node)
    found = await find_many(ex, schema, model, args, action=action)
    await shape(ex, schema, node, found)
    return found


async def read_unique(
    ex: Executor,
    schema: SchemaMeta,
    where: Args,
    *,
    model_name: str,
    include: Args | None,
    select_: Args | None,
    strategy: str | None,
    omit: frozenset[str] = frozenset(),
) -> BaseModel | None:
    """`omit` leaves columns out of the SELECT on the batched path (see `omit.kept_columns`);
    the other paths read them and the caller hides them."""
    model = schema.models[model_name]
    if select_ is None and include is None and strategy is None:  # the common case, first
        return await find_unique(ex, schema, model, where, None, omit)
    how = _strategy(strategy)
    if select_ is None and how == "query" and not _needs_tree(include):
        return await find_unique(ex, schema, model, where, include, omit)
    node = parse_selection(schema, model, select_, include)
    if how == "join" and not node.has_distinct:
        return await find_unique_joined(ex, schema, model, where, node)
    found = await find_unique(ex, schema, model, where, include_of(node))
    if found is not None:
        await shape(ex, schema, node, [found])
    return found


def include_of(node: Node) -> dict[str, JsonValue] | None:
    """The `include` the batched loader needs for `node`'s relations (every scalar is read)."""
    if not node.children:
        return None
    return {c.relation.name: {**c.args, "include": include_of(c.node)} for c in node.children}


async def shape(
    ex: Executor, schema: SchemaMeta, node: Node, instances: Sequence[BaseModel]
) -> None:
    """Batched results cut to `node`: unselected fields None, `_count` loaded, level by level."""
    if not instances:
        return
    if node.counts is not None:
        await _attach_counts(ex, schema, node, instances)
    _prune(node, instances)
    for child in node.children:
        await shape(ex, schema, child.node, _loaded(child.relation.name, instances))


def _prune(node: Node, instances: Sequence[BaseModel]) -> None:
    names = field_set(node)
    unselected = [n for n in node.model.scalars if n not in node.scalars] if node.partial else []
    for instance in instances:
        if node.partial:
            for name in unselected:
                object.__setattr__(instance, name, None)
            object.__setattr__(instance, "__pydantic_fields_set__", set(names))
        elif node.counts is not None:
            instance.__pydantic_fields_set__.add(COUNT_FIELD)


def _loaded(name: str, instances: Sequence[BaseModel]) -> list[BaseModel]:
    """Every instance a relation of `instances` holds."""
    found: list[BaseModel] = []
    for instance in instances:
        value = getattr(instance, name)
        if isinstance(value, list):
            found.extend(v for v in cast(list[object], value) if isinstance(v, BaseModel))
        elif isinstance(value, BaseModel):
            found.append(value)
    return found


async def _attach_counts(
    ex: Executor, schema: SchemaMeta, node: Node, instances: Sequence[BaseModel]
) -> None:
    """Every `_count` of a level in one statement: a correlated count per relation."""
    model = node.model
    ids = model.id_fields
    keys = list(dict.fromkeys(tuple(getattr(i, f) for f in ids) for i in instances))
    stmt = _count_statement(schema, node, keys)
    rows = await ex.fetch(stmt, model=model.name, action="count")
    counts = {
        tuple(r[f] for f in ids): {c.key: int(r[c.key]) for c in node.counts or []} for r in rows
    }
    for instance in instances:
        found = counts.get(tuple(getattr(instance, f) for f in ids), {})
        object.__setattr__(instance, COUNT_FIELD, found)


def _count_statement(
    schema: SchemaMeta, node: Node, keys: list[tuple[JsonValue, ...]]
) -> Select[JsonValue]:
    model = node.model
    table = model.table.alias()
    columns = [table.c[f] for f in model.id_fields]
    aliases = Aliases()
    counted = [count_value(schema, c, table, aliases).label(c.key) for c in node.counts or []]
    stmt = select(*columns, *counted)
    if len(columns) == 1:
        values = bindparam(None, [k[0] for k in keys], type_=ARRAY(columns[0].type))
        return stmt.where(columns[0] == any_(values))
    return stmt.where(tuple_(*columns).in_(keys))
