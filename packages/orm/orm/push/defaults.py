"""Comparing column defaults: what the schema says against what `pg_get_expr` prints.

PostgreSQL stores `DEFAULT 'web'` on a VARCHAR column as `'web'::character varying` and
`DEFAULT -5` as `'-5'::integer`. `normalise` strips such casts and quotes around numbers, so most
defaults compare as text. Literal defaults that still differ (`'{"a":1}'` against the stored
`'{"a": 1}'::jsonb`) are compared by value in the database (`equal_by_value`), which evaluates
only constant expressions: a function call such as `nextval(...)` is never run.
"""

from __future__ import annotations

import re

import asyncpg

from orm.push.db import Connection

__all__ = ["equal_by_value", "is_constant", "normalise"]

_CAST = re.compile(
    r"::(?:\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_]*(?: [a-z_][a-z0-9_]*)*)"
    r"(?:\(\d+(?:,\s*\d+)?\))?(?: with(?:out)? time zone)?(?:\[\])*",
    re.IGNORECASE,
)
_QUOTED_NUMBER = re.compile(r"'(-?\d+(?:\.\d+)?)'")
_CALL = re.compile(r"[A-Za-z_][\w.]*\s*\(")


def normalise(expression: str) -> str:
    text = _CAST.sub("", expression.strip())
    text = _QUOTED_NUMBER.sub(r"\1", text)
    while text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]
    return re.sub(r"\s+", " ", text).replace("ARRAY[] ", "ARRAY[]")


def is_constant(expression: str) -> bool:
    """True when `expression` calls no function (so evaluating it has no side effects)."""
    without_arrays = expression.replace("ARRAY[", "[")
    return _CALL.search(without_arrays) is None and "CURRENT_" not in expression.upper()


async def equal_by_value(conn: Connection, wanted: str, found: str, *, sql_type: str) -> bool:
    """Whether two constant defaults give the same value of `sql_type`."""
    if not (is_constant(wanted) and is_constant(found)):
        return False
    try:
        same = await conn.fetchval(
            f"SELECT (({wanted})::{sql_type}) IS NOT DISTINCT FROM (({found})::{sql_type})"
        )
    except asyncpg.PostgresError:
        return False
    return bool(same)
