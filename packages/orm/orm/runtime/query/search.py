"""Full-text search on PostgreSQL, as Prisma's `fullTextSearchPostgres`: the `search` filter on a
String field matches `to_tsvector(field) @@ to_tsquery(query)` (the query in tsquery syntax:
`cat & dog`, `cat | dog`, `!dog`, `cat <-> dog`), and `_relevance` orders by `ts_rank` of the
same. Both use the database's `default_text_search_config`, as Prisma does."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Text, bindparam, func, literal

from orm.runtime.types import JsonValue

__all__ = ["matches", "relevance"]

Expr = ColumnElement[JsonValue]


def _document(columns: Sequence[Expr]) -> Expr:
    return func.to_tsvector(func.concat_ws(literal(" ", Text), *columns))


def _query(search: str) -> Expr:
    return func.to_tsquery(bindparam(None, search, type_=Text))


def matches(column: Expr, search: str) -> ColumnElement[bool]:
    return _document([column]).bool_op("@@")(_query(search))


def relevance(columns: Sequence[Expr], search: str) -> Expr:
    return func.ts_rank(_document(columns), _query(search))
