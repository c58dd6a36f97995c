"""Decay charts compiled: points and the trend print what the resolvers print."""

from __future__ import annotations

import json
import random

from api.compiled import forms
from api.compiled.charts import TREND
from resolvers.dreams.progress import improvement_trend
from tests.compiled.conftest import VIEWERS, Paths

CHART = """
query ($id: ID!, $range: ChartRange!, $bucket: ChartBucket!) {
  dream(id: $id) {
    decayChart(range: $range, bucket: $bucket) {
      __typename trend points { __typename bucketStart average best count }
    }
  }
}
"""


async def test_decay_charts_compile_with_the_resolvers_bytes(paths: Paths) -> None:
    for dream_id in [*paths.world.public, paths.world.private]:
        for range_ in ("LAST_7_DAYS", "LAST_365_DAYS"):
            for bucket in ("DAY", "WEEK"):
                variables: dict[str, object] = {"id": dream_id, "range": range_, "bucket": bucket}
                for user in VIEWERS[:2]:
                    compiled, resolved = await paths.both(CHART, variables, user=user)
                    assert compiled.content == resolved.content, variables
                    assert compiled.headers["x-execution"] == "compiled"


def _pairs() -> list[tuple[float, float]]:
    """Averages as the chart's SQL makes them: ties at the third decimal, zero, sign changes,
    clamping, and random ones."""
    picker = random.Random(7)
    pairs = [(40.0, 40.002), (80.0, 80.004), (20.0, 19.999), (0.5, 0.5), (50.0, 49.99999999)]
    pairs += [(0.01, 100.0), (100.0, 0.01), (33.333333333333336, 66.66666666666667)]
    pairs += [(1.0, 1.00005), (1.0, 0.99995), (2.0, 2.0003), (0.0, 5.0), (8.0, 8.0004)]
    for _ in range(300):
        p = round(picker.uniform(0, 100), picker.choice((2, 3, 6, 12)))
        pairs.append((p, round(picker.uniform(0, 100), picker.choice((2, 3, 6, 12)))))
    return pairs


async def test_trend_rounds_as_improvement_trend_does(paths: Paths) -> None:
    db = paths.compiled.services.db
    for previous, current in _pairs():
        points = "(VALUES (1, $1::float8), (2, $2::float8)) pt(start, average)"
        sql = f"SELECT {forms.float_(TREND.format(points=points))} AS trend"
        row = await db.query_first(sql, previous, current)
        assert row is not None
        expected = json.dumps(float(improvement_trend(previous, current)))
        assert row["trend"] == expected, (previous, current)
