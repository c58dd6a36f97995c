"""SQL expressions that turn a column into its GraphQL value as compact JSON text.

The compiled path builds the response's bytes in PostgreSQL, so each output form here must print
exactly what the resolver path prints through Strawberry and `json.dumps(separators=(",", ":"))`:

- `string`: `to_json(text)` escapes as Python does (`\\n`, `\\u001f`, ...); non-ASCII characters
  are escaped afterwards in Python (`api/compiled/run.py`), as `ensure_ascii` does.
- `float`: `float8` text is the shortest round-trip form, as Python's `repr`; an integral value
  gets Python's `.0` (`100.0`), and the text is embedded as JSON, never re-parsed as numeric.
- `money`: the decimal at its column's scale (`"0.004200"`), a JSON string.
- `datetime`: `datetime.isoformat()` of a UTC instant: microseconds only when non-zero.

Every form returns `null` text for SQL NULL, so objects can be concatenated with `||`.
"""

from __future__ import annotations

__all__ = [
    "ascii_escaped",
    "boolean",
    "datetime_text",
    "enum",
    "float_",
    "integer",
    "json_key",
    "money",
    "nullable",
    "string",
    "strings",
    "timestamp",
]


def nullable(expr: str) -> str:
    return f"coalesce({expr}, 'null')"


def string(expr: str) -> str:
    return nullable(f"to_json(({expr})::text)::text")


def enum(expr: str) -> str:
    return string(expr)


def strings(expr: str) -> str:
    """A `text[]` as a JSON list of strings; NULL reads as `[]`, as the ORM returns it."""
    return f"coalesce(to_json(({expr})::text[])::text, '[]')"


def integer(expr: str) -> str:
    return nullable(f"(({expr})::bigint)::text")


def boolean(expr: str) -> str:
    return nullable(f"(({expr})::boolean)::text")


def float_(expr: str) -> str:
    """An integral value below 1e15 is exactly what `float8` prints without a fraction or an
    exponent: it gets the `.0`. Compared as a number (not by a pattern on the text), and `expr`
    evaluated once: a subquery (a best score) runs once, not once per use."""
    if "SELECT" in expr.upper():  # OFFSET 0: PostgreSQL would inline `v` at each use
        return nullable(
            f"(SELECT {_float_text('f.v')} FROM (SELECT ({expr})::float8 AS v OFFSET 0) f)"
        )
    return nullable(_float_text(f"(({expr})::float8)"))


def _float_text(value: str) -> str:
    return (
        f"(CASE WHEN {value} = trunc({value}) AND abs({value}) < 1e15 THEN {value}::text || '.0' "
        f"WHEN {value} IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE {value}::text END)"
    )


def money(expr: str, places: int) -> str:
    return nullable(f"to_json(round(({expr})::numeric, {int(places)})::text)::text")


def datetime_text(expr: str) -> str:
    """The ISO text (no JSON quotes) of a `timestamptz`, as Python's `isoformat()` in UTC: one
    `to_char` with microseconds, which are dropped when they are all zeros."""
    utc = f"(({expr}) AT TIME ZONE 'UTC')"
    return f"replace(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'), '.000000+', '+')"


def timestamp(expr: str) -> str:
    return nullable(f"'\"' || {datetime_text(expr)} || '\"'")


def json_key(key: str) -> str:
    """A response key as the SQL literal of its JSON text (`"key":`). GraphQL names are
    `[_A-Za-z][_0-9A-Za-z]*`, so nothing needs escaping; anything else is refused."""
    if not key.replace("_", "a").isalnum() or not key.isascii():
        raise ValueError(f"not a GraphQL name: {key!r}")
    return f"'\"{key}\":'"


def ascii_escaped(json_text: str) -> str:
    """JSON text with every character past `~` escaped as `json.dumps` (`ensure_ascii`) does:
    `\\u00e9`, astral characters as surrogate pairs. For text *inside* SQL values (cursors),
    which `api/compiled/run.py` can't reach once base64-encoded; ASCII text costs one match."""
    code = "ascii(ch)"
    astral = f"({code} - 65536)"
    escaped = (
        f"CASE WHEN {code} < 127 THEN ch WHEN {code} < 65536 THEN "
        f"'\\u' || lpad(to_hex({code}), 4, '0') ELSE "
        f"'\\u' || to_hex(55296 + ({astral} >> 10)) || "
        f"'\\u' || to_hex(56320 + ({astral} & 1023)) END"
    )
    return (
        f"(CASE WHEN {json_text} ~ '^[ -~]*$' THEN {json_text} ELSE "
        f"(SELECT string_agg({escaped}, '' ORDER BY n) "
        f"FROM regexp_split_to_table({json_text}, '') WITH ORDINALITY chars(ch, n)) END)"
    )
