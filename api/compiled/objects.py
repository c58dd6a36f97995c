"""How object types compile: the declaration registry, selection sets, to-one relations.

Each GraphQL object type the compiled path serves declares, per field, a `FieldCompiler`: given
the builder, the SQL context of the parent (a row alias, or a connection's rows) and the
selected field, it returns the field's `Fragment`. Domain modules (`api/compiled/dreams.py`,
...) declare their types next to each other with `declare`; a field without a declaration
makes the whole operation run on the resolvers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import GraphQLNamedType, GraphQLObjectType, GraphQLType, get_named_type

from api.compiled.plan import (
    Builder,
    Fragment,
    NotCompilable,
    RequestInputs,
    Resolved,
    Selected,
    json_object,
)
from loaders.batch import storable

__all__ = [
    "DECLARATIONS",
    "SHARED_ROOTS",
    "FieldCompiler",
    "child_type",
    "column",
    "compile_object",
    "declare",
    "declare_shared",
    "id_argument",
    "listed",
    "listed_once",
    "on_the_resolvers",
    "scalar",
    "to_one",
    "viewer_param",
]

FieldCompiler = Callable[[Builder, Any, Selected], Fragment]
DECLARATIONS: dict[str, dict[str, FieldCompiler]] = {}


SHARED_ROOTS: set[str] = {"__typename"}


def declare(type_name: str, fields: dict[str, FieldCompiler]) -> None:
    DECLARATIONS.setdefault(type_name, {}).update(fields)


def declare_shared(*root_fields: str) -> None:
    """Root fields whose answer is the same for every viewer, whatever is selected below them
    (platform-wide figures: nothing of theirs reads the viewer, in the statement, the checks,
    the tags or the TTL). An operation of only these is cached once for all viewers."""
    SHARED_ROOTS.update(root_fields)


def child_type(selected: Selected) -> GraphQLObjectType:
    output = cast("GraphQLType", selected.definition.type)  # pyright: ignore[reportUnknownMemberType]
    named: GraphQLNamedType = get_named_type(output)
    if not isinstance(named, GraphQLObjectType):
        raise NotCompilable(f"{selected.name} returns {named.name}, not an object type")
    return named


def compile_object(builder: Builder, context: object, selected: Selected) -> Fragment:
    """`selected`'s sub-selection on its object type, in `context` (the object's SQL)."""
    type_ = child_type(selected)
    return compile_fields(builder, type_, context, builder.selections(selected.details, type_))


def compile_fields(
    builder: Builder, type_: GraphQLObjectType, context: object, selections: list[Selected]
) -> Fragment:
    declared = DECLARATIONS.get(type_.name, {})
    pairs: list[tuple[str, str]] = []
    tags: list[str] = []
    for selected in selections:
        if selected.name == "__typename":
            pairs.append((selected.key, f"'\"{type_.name}\"'"))
            continue
        compiler = declared.get(selected.name)
        if compiler is None:
            raise NotCompilable(f"{type_.name}.{selected.name} has no compiled declaration")
        fragment = compiler(builder, context, selected)
        pairs.append((selected.key, fragment.json))
        tags.extend(fragment.tags)
    return Fragment(json_object(pairs), tuple(tags))


def scalar(sql: Callable[[str], str]) -> FieldCompiler:
    """A value computed from the parent row alias (`sql(alias)` is already in output form)."""
    return lambda _builder, row, _selected: Fragment(sql(str(row)))


def column(name: str, form: Callable[[str], str]) -> FieldCompiler:
    return scalar(lambda row: form(f"{row}.{name}"))


def to_one(
    source: Callable[[Builder, str, str, Selected], str],
    *,
    tag: Callable[[str], str] | None = None,
) -> FieldCompiler:
    """An object (or null) read by a correlated subquery: `source(builder, alias, row,
    selected)` is its `FROM ... WHERE ...` (at most one row) over `alias`; `tag(row)` an SQL
    expression for the cache tag the resolvers record for it."""

    def compile_(builder: Builder, row: object, selected: Selected) -> Fragment:
        alias = builder.alias("o")
        inner = compile_object(builder, alias, selected)
        from_where = source(builder, alias, str(row), selected)
        tags = (
            [f"(SELECT nullif(concat_ws(',', {', '.join(inner.tags)}), '') FROM {from_where})"]
            if (inner.tags)
            else []
        )
        if tag is not None:
            tags.insert(0, f"to_json({tag(str(row))})::text")
        return Fragment(f"coalesce((SELECT {inner.json} FROM {from_where}), 'null')", tuple(tags))

    return compile_


def listed(builder: Builder, selected: Selected, row: str, source: str, order: str) -> Fragment:
    """A list of `selected`'s objects, one per row `row` of `source` (a FROM item) in `order`
    (over `row`), and the tags its objects record."""
    item = compile_object(builder, row, selected)
    rows = f"(SELECT string_agg({item.json}, ',' ORDER BY {order}) FROM {source})"
    json = f"('[' || coalesce({rows}, '') || ']')"
    if not item.tags:
        return Fragment(json)
    nested = f"nullif(concat_ws(',', {', '.join(item.tags)}), '')"
    return Fragment(json, (f"(SELECT string_agg({nested}, ',') FROM {source})",))


def listed_once(
    builder: Builder,
    selected: Selected,
    row: str,
    source: str,
    order: str,
    *,
    row_tag: str | None = None,
) -> Fragment:
    """`listed` for a root field: `source` read once, for the list and its tags together (one
    more FROM item of the statement), and `row_tag` (over `row`, NULL for none) tagged too."""
    item = compile_object(builder, row, selected)
    alias = builder.alias("l")
    tags = [*item.tags, *([row_tag] if row_tag else [])]
    tagged = f"string_agg(nullif(concat_ws(',', {', '.join(tags)}), ''), ',')" if tags else "NULL"
    rows = f"string_agg({item.json}, ',' ORDER BY {order})"
    builder.source(f"(SELECT {rows} AS json, {tagged} AS tags FROM {source}) {alias}")
    json = f"('[' || coalesce({alias}.json, '') || ']')"
    return Fragment(json, (f"{alias}.tags",) if tags else ())


def on_the_resolvers(json: str) -> str:
    """`json`, or (where it is NULL: a row the resolvers would find missing, and refuse) an
    error that fails the statement, so the endpoint answers from the resolvers, with their
    error. `random()` is volatile: PostgreSQL can't fold the division at planning."""
    return f"coalesce({json}, (1 / (random() * 0)::int)::text)"


def id_argument(builder: Builder, selected: Selected, *, tag: str, ttl: int) -> str:
    """The field's `id` argument as a parameter, recording the `{tag}:{id}` cache tag the
    resolvers record; an id PostgreSQL can't hold (NUL, lone surrogate) goes to them."""
    id_ = selected.arg("id")

    def check(inputs: RequestInputs) -> None:
        if not storable(str(id_(inputs))):
            raise Resolved

    builder.checks.append(check)
    builder.tags.append(lambda inputs: [f"{tag}:{id_(inputs)}"])
    builder.ttls.append(lambda _inputs: ttl)
    return builder.param(lambda inputs: str(id_(inputs)), "text")


def viewer_param(builder: Builder) -> str:
    return builder.param(lambda inputs: inputs.viewer.user_id, "text")
