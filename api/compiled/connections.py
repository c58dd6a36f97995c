"""Relay connections (`edges { cursor node }`, `nodes`, `pageInfo`) compiled over keyset pages.

`Rows` says where a page's rows come from: a query that returns at most `first + 1` rows in the
list's order (the extra row only tells there is a next page, as `resolvers.pagination` fetches
it), how to print a row's cursor, and the cache tags each fetched row records. The connection
numbers those rows (`rn`) and aggregates them into the connection's JSON text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from api.compiled import forms
from api.compiled.objects import child_type, compile_fields
from api.compiled.plan import (
    Builder,
    Fragment,
    NotCompilable,
    RequestInputs,
    Resolved,
    Selected,
    json_object,
)
from resolvers.errors import ValidationError
from resolvers.pagination import MAX_PAGE_SIZE, SortSpec, decode_cursor, page_size

__all__ = [
    "Rows",
    "connection",
    "cursor_text",
    "keyset",
    "order",
    "page",
    "page_arguments",
    "table_rows",
]

KEY_CASTS = {"datetime": "timestamptz", "int": "int", "str": "text", "bool": "boolean"}


@dataclass(frozen=True, slots=True)
class Rows:
    sql: str  # SELECT ... LIMIT first + 1, its rows in the list's order
    order: Callable[[str], str]  # ORDER BY of the list over a row alias
    first: str  # the page size parameter
    cursor: Callable[[str], str]  # SQL text of a row's cursor (no JSON quotes)
    row_tags: Callable[[str], tuple[str, ...]] = lambda _row: ()


def cursor_text(sort: str, key_text: str, id_: str, *, any_text: bool = False) -> str:
    """`resolvers.pagination.encode_cursor` in SQL: URL-safe base64 of `[sort, key, id]` as
    compact JSON, without padding (PostgreSQL's base64 breaks lines every 76 characters).
    `any_text`: the key may hold non-ASCII characters, which `json.dumps` escapes."""
    key = f"to_json({key_text})::text"
    if any_text:
        key = forms.ascii_escaped(key)
    raw = f"'[\"{sort}\",' || {key} || ',' || to_json({id_})::text || ']'"
    return f"rtrim(translate(encode(convert_to({raw}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')"


def page(select: str, order: str, size: str, *, few: bool = False) -> str:
    """`select` (`SELECT ... FROM ... WHERE ...`) in `order`, at most `size` + 1 rows.

    Unless the caller knows the rows are `few` (one parent's, one user's), an inner bound
    (the largest page the resolvers allow, plus one) is added as a constant, so that PostgreSQL
    can plan the prepared statement once: with `LIMIT $n` alone, a generic plan assumes a tenth
    of the matching rows (a sort of every public dream), so it planned the statement anew on
    every execution. Over a few rows the extra level only costs."""
    if few:
        return f"{select} ORDER BY {order} LIMIT {size} + 1"
    return (
        f"SELECT * FROM ({select} ORDER BY {order} LIMIT {MAX_PAGE_SIZE + 1}) q "
        f"ORDER BY {order} LIMIT {size} + 1"
    )


def table_rows(
    table: str,
    where: Sequence[str],
    *,
    sort: str,
    column: str,
    direction: str,
    size: str,
    key: Callable[[str], str],
    tag: str,
    few: bool,
) -> Rows:
    """A root list of `table`'s rows matching `where` (conditions over `q`), in `sort`'s order
    (`column`, then id, in `direction`), `size` a page; `key` prints the cursor's key from the
    column's SQL; each row records the cache tag `<tag>:<id>`."""
    ordered = order(column, direction)
    return Rows(
        sql=page(
            f"SELECT * FROM {table} q WHERE {' AND '.join(where)}", ordered("q"), size, few=few
        ),
        order=ordered,
        first=size,
        cursor=lambda r: cursor_text(sort, key(f"{r}.{column}"), f"{r}.id"),
        row_tags=lambda r: (f"to_json('{tag}:' || {r}.id)::text",),
    )


def page_arguments(
    builder: Builder, selected: Selected, spec: SortSpec, column: str
) -> tuple[str, str | None]:
    """`first` and `after` of a list in `spec`'s order (by `column`, then id): the page size
    parameter, and the keyset condition over `q` when `after` is given; a size or cursor the
    resolvers refuse sends the request to them."""
    first, after = selected.arg("first"), selected.arg("after")

    def check(inputs: RequestInputs) -> None:
        try:
            page_size(_int(first(inputs)))
            raw = after(inputs)
            if raw is not None:
                decode_cursor(str(raw), spec)
        except ValidationError:
            raise Resolved from None

    builder.checks.append(check)
    size = builder.param(lambda inputs: page_size(_int(first(inputs))), "int")
    if builder.planned(selected).get("after") is None:
        return size, None
    key = builder.param(lambda i: decode_cursor(str(after(i)), spec).key, KEY_CASTS[spec.kind])
    id_ = builder.param(lambda i: decode_cursor(str(after(i)), spec).id, "text")
    return size, keyset("q", column, spec.direction, key, id_)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def order(column: str, direction: str) -> Callable[[str], str]:
    """The list's ORDER BY over a row alias: `column`, then id, both in `direction`."""
    return lambda row: f"{row}.{column} {direction.upper()}, {row}.id {direction.upper()}"


def keyset(row: str, column: str, direction: str, key: str, id_: str) -> str:
    op = "<" if direction == "desc" else ">"
    return f"({row}.{column} {op} {key} OR ({row}.{column} = {key} AND {row}.id {op} {id_}))"


def connection(builder: Builder, rows: Rows, selected: Selected, *, root: bool = False) -> Fragment:
    """The connection as JSON text, and (when its rows record tags) their tags. A `root`
    field's rows are read once, for both, as one FROM item of the statement; elsewhere the
    tags are one more subquery over the rows (read twice, rather than threading tags through
    the JSON)."""
    r = builder.alias("r")
    conn_type = child_type(selected)
    shown = f"{r}.rn <= {rows.first}"
    pairs: list[tuple[str, str]] = []
    child_tags: list[str] = []
    for field in builder.selections(selected.details, conn_type):
        if field.name == "__typename":
            pairs.append((field.key, f"'\"{conn_type.name}\"'"))
        elif field.name in ("edges", "nodes"):
            item = (
                _edge(builder, rows, r, field)
                if field.name == "edges"
                else _node(builder, r, field)
            )
            child_tags.extend(item.tags)
            listed = f"string_agg({item.json}, ',' ORDER BY {r}.rn) FILTER (WHERE {shown})"
            pairs.append((field.key, f"('[' || coalesce({listed}, '') || ']')"))
        elif field.name == "pageInfo":
            pairs.append((field.key, _page_info(builder, rows, r, field)))
        else:
            raise NotCompilable(f"{conn_type.name}.{field.name} has no compiled declaration")
    source = (
        f"(SELECT q.*, row_number() OVER (ORDER BY {rows.order('q')}) AS rn "
        f"FROM ({rows.sql}) q) {r}"
    )
    row_tags = rows.row_tags(r)
    tags = None
    if row_tags or child_tags:
        nested = (
            f"CASE WHEN {shown} THEN nullif(concat_ws(',', {', '.join(child_tags)}), '') END"
            if child_tags
            else "NULL"
        )
        per_row = f"nullif(concat_ws(',', {', '.join((*row_tags, nested))}), '')"
        tags = f"string_agg({per_row}, ',')"
    if root:
        alias = builder.alias("c")
        builder.source(
            f"(SELECT {json_object(pairs)} AS json, {tags or 'NULL::text'} AS tags "
            f"FROM {source}) {alias}"
        )
        return Fragment(f"{alias}.json", (f"{alias}.tags",) if tags else ())
    json = f"(SELECT {json_object(pairs)} FROM {source})"
    return Fragment(json, (f"(SELECT {tags} FROM {source})",) if tags else ())


def _node(builder: Builder, r: str, field: Selected) -> Fragment:
    node_type = child_type(field)
    return compile_fields(builder, node_type, r, builder.selections(field.details, node_type))


def _edge(builder: Builder, rows: Rows, r: str, field: Selected) -> Fragment:
    edge_type = child_type(field)
    pairs: list[tuple[str, str]] = []
    tags: list[str] = []
    for part in builder.selections(field.details, edge_type):
        if part.name == "__typename":
            pairs.append((part.key, f"'\"{edge_type.name}\"'"))
        elif part.name == "cursor":
            pairs.append((part.key, f"('\"' || {rows.cursor(r)} || '\"')"))
        elif part.name == "node":
            node = _node(builder, r, part)
            pairs.append((part.key, node.json))
            tags.extend(node.tags)
        else:
            raise NotCompilable(f"{edge_type.name}.{part.name} has no compiled declaration")
    return Fragment(json_object(pairs), tuple(tags))


def _page_info(builder: Builder, rows: Rows, r: str, field: Selected) -> str:
    info_type = child_type(field)
    pairs: list[tuple[str, str]] = []
    for part in builder.selections(field.details, info_type):
        if part.name == "__typename":
            pairs.append((part.key, f"'\"{info_type.name}\"'"))
        elif part.name == "hasNextPage":
            pairs.append(
                (part.key, f"(CASE WHEN count(*) > {rows.first} THEN 'true' ELSE 'false' END)")
            )
        elif part.name == "endCursor":
            last = (
                f"(array_agg({rows.cursor(r)} ORDER BY {r}.rn DESC) "
                f"FILTER (WHERE {r}.rn <= {rows.first}))[1]"
            )
            pairs.append((part.key, f"coalesce('\"' || {last} || '\"', 'null')"))
        else:
            raise NotCompilable(f"{info_type.name}.{part.name} has no compiled declaration")
    return json_object(pairs)
