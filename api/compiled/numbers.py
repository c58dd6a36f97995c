"""Python's arithmetic on the resolver path, repeated exactly in SQL.

The resolvers round averages with `round(x, places)` (on the float's exact binary value, ties
to even) and compute percentages with `decimal` (`float(spent / budget * 100)`: the quotient
rounded half-even to 28 significant digits, then the nearest double). PostgreSQL's `round` and
numeric division round differently, so these build the same values from exact integers.

Each step reads the one before it several times: `OFFSET 0` keeps PostgreSQL from pulling the
steps up into one expression, which would evaluate the innermost one (maybe a subquery) once
per reference, and references multiply at every step.
"""

from __future__ import annotations

__all__ = ["DECIMAL_DIGITS", "decimal_percent", "rounded"]

DECIMAL_DIGITS = 28
"""Significant digits of a quotient in Python's default decimal context."""

_SHIFT = 60  # quotient digits below the point: >= 28 significant ones for any two amounts


def rounded(expr: str, places: int) -> str:
    """Python's `round(x, places)` of a non-negative float8: the multiple of 10^-places nearest
    the double's exact value, ties to even. The double is m * 2^-k (its IEEE bits); comparing
    m * 10^(places + 1) with the tie's digits times 2^k is exact integer arithmetic in numeric.
    The float's `floor(x * 10^places)` may be one off; the comparison puts it right."""
    scale = 10 ** int(places)
    bits = "('x' || encode(float8send(w.x), 'hex'))::bit(64)::bigint"
    return f"""(SELECT CASE WHEN r.x = 0 THEN 0::float8 ELSE (
  CASE WHEN r.c < 0 THEN r.f WHEN r.c > 0 THEN r.f + 1 ELSE r.f + mod(r.f, 2) END)::float8 / {scale}
  END
FROM (SELECT b.x, b.f, sign(b.m * {scale * 10} - (b.f * 10 + 5) * 2::numeric ^ b.k) AS c
      FROM (SELECT v.x, floor(v.x * {scale})::numeric AS f,
                   ((v.bits & 4503599627370495) + 4503599627370496)::numeric AS m,
                   1075 - ((v.bits >> 52) & 2047) AS k
            FROM (SELECT w.x, {bits} AS bits
                  FROM (SELECT ({expr})::float8 AS x OFFSET 0) w OFFSET 0) v OFFSET 0) b) r)"""


def decimal_percent(part: str, whole: str) -> str:
    """`float(part / whole * 100)` of two non-negative numerics, `whole` not zero, as Python's
    `decimal` computes it. Shifted by 10^60, the quotient of any two amounts (spends have six
    places, budgets at most eight digits before the point) has over 28 digits; `t`, its 28
    leading ones (`d` digits cut, rounded half-even on the exact remainder), makes the quotient
    `t * 10^(d - 60)`, and times 100 the decimal text `t e(d - 58)`, which float8 input rounds
    to the nearest double as `float()` does."""
    big = f"a.n * 1e{_SHIFT}"
    return f"""(SELECT CASE WHEN q.n = 0 THEN 0::float8 ELSE ((q.t + CASE
    WHEN 2 * q.r > q.u THEN 1 WHEN 2 * q.r = q.u THEN mod(q.t, 2) ELSE 0 END)::text
  || 'e' || (q.d - {_SHIFT - 2})::text)::float8 END
FROM (SELECT l.n, div(l.big, l.u) AS t, mod(l.big, l.u) AS r, l.u, l.d
      FROM (SELECT c.n, c.big, c.w * 10::numeric ^ c.d AS u, c.d
            FROM (SELECT a.n, {big} AS big, a.w,
                         greatest(length(div({big}, a.w)::text) - {DECIMAL_DIGITS}, 0) AS d
                  FROM (SELECT ({part})::numeric AS n, ({whole})::numeric AS w OFFSET 0) a
                  OFFSET 0) c OFFSET 0) l OFFSET 0) q)"""
