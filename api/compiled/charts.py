"""Compiled declaration of `Dream.decayChart` (`resolvers/dreams/progress.py`).

Points are `DecayPointsByDreamIdLoader`'s statement per dream. The trend repeats
`improvement_trend` exactly: both averages as their shortest float text (Python's `str` of the
float), the percent change rounded half-even to hundredths on exact integers (Decimal's
`quantize`), clamped to DECIMAL(5,2), and a negative change that rounds to zero is `-0.0`, as
`float(Decimal("-0.00"))` prints.
"""

from __future__ import annotations

from api.compiled import forms
from api.compiled.numbers import rounded
from api.compiled.objects import child_type, column, compile_object, declare
from api.compiled.plan import Builder, Fragment, NotCompilable, Selected, json_object

__all__ = ["TREND", "round2"]

# Hundredths of a percent, rounded half-even: a = |change| * 10000 * 10^s over b = prev * 10^s.
TREND = """(SELECT CASE WHEN s.n < 2 THEN NULL WHEN s.p = 0 THEN 0::float8 ELSE (
  SELECT CASE WHEN sign(x.a) < 0 THEN -(least(x.q, 99999)::float8 / 100)
              ELSE least(x.q, 99999)::float8 / 100 END
  FROM (SELECT i.a, div(abs(i.a), i.b) + CASE
          WHEN 2 * mod(abs(i.a), i.b) > i.b THEN 1
          WHEN 2 * mod(abs(i.a), i.b) = i.b THEN mod(div(abs(i.a), i.b), 2)
          ELSE 0 END AS q
        FROM (SELECT (s.c - s.p) * 10000 * 10::numeric ^ k.s AS a, s.p * 10::numeric ^ k.s AS b
              FROM (SELECT greatest(scale(s.c), scale(s.p)) AS s) k) i) x) END
FROM (SELECT count(*) AS n, ((array_agg(pt.average ORDER BY pt.start))[1])::text::numeric AS p,
             ((array_agg(pt.average ORDER BY pt.start DESC))[1])::text::numeric AS c
      FROM {points}) s)"""


def round2(expr: str) -> str:
    """Python's `round(x, 2)` of a non-negative float8 (`numbers.rounded`)."""
    return rounded(expr, 2)


def _decay_chart(builder: Builder, row: object, selected: Selected) -> Fragment:
    range_, bucket = selected.arg("range"), selected.arg("bucket")
    days = builder.param(lambda inputs: int(str(getattr(range_(inputs), "value", "30"))), "int")
    unit = builder.param(lambda inputs: str(getattr(bucket(inputs), "value", "day")), "text")
    points = (
        f"(SELECT date_trunc({unit}, t.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' "
        f"AS start, {round2('avg(t.impossibility_score)::float8')} AS average, "
        "min(t.impossibility_score)::float8 AS best, count(*)::int AS count "
        f"FROM ai_tests t WHERE t.dream_id = {row}.id AND t.status = 'COMPLETED' "
        f"AND t.created_at >= now() - make_interval(days => {days}) GROUP BY 1) pt"
    )
    chart_type = child_type(selected)
    pairs: list[tuple[str, str]] = []
    for field in builder.selections(selected.details, chart_type):
        if field.name == "__typename":
            pairs.append((field.key, f"'\"{chart_type.name}\"'"))
        elif field.name == "trend":
            pairs.append((field.key, forms.float_(TREND.format(points=points))))
        elif field.name == "points":
            point = compile_object(builder, "pt", field).json
            listed = f"(SELECT string_agg({point}, ',' ORDER BY pt.start) FROM {points})"
            pairs.append((field.key, f"('[' || coalesce({listed}, '') || ']')"))
        else:
            raise NotCompilable(f"{chart_type.name}.{field.name} has no compiled declaration")
    return Fragment(json_object(pairs))


declare(
    "DecayPoint",
    {
        "bucketStart": column("start", forms.timestamp),
        "average": column("average", forms.float_),
        "best": column("best", forms.float_),
        "count": column("count", forms.integer),
    },
)


declare("Dream", {"decayChart": _decay_chart})
