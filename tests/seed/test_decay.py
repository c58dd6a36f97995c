"""The seeded data tells the decay story: tests spread over weeks, scores trend down with
plateaus and regressions, and the demo accounts' weekly charts show all of it."""

from __future__ import annotations

import itertools
import random

import pytest

from seed.decay import DecayStory
from seed.pg import Connection
from tests.seed.conftest import ANCHOR

# Per dream with enough completed tests: the average of the first and of the last third of its
# tests (by time), and the days between its first and last test.
THIRDS = """
WITH t AS (
  SELECT t.dream_id, t.impossibility_score AS score, t.created_at,
         min(t.created_at) OVER w AS first, max(t.created_at) OVER w AS last,
         count(*) OVER w AS n
  FROM ai_tests t WHERE t.status = 'COMPLETED' WINDOW w AS (PARTITION BY t.dream_id)
)
SELECT dream_id, n,
       avg(score) FILTER (WHERE created_at < first + (last - first) / 3)::float8 AS early,
       avg(score) FILTER (WHERE created_at > first + 2 * (last - first) / 3)::float8 AS late,
       extract(epoch FROM max(last - first))::float8 / 86400 AS span_days
FROM t GROUP BY dream_id, n
"""

# Weekly buckets (as the decay chart draws them) of each demo account's most tested dream over
# the 90 days before the end of the seeded history.
DEMO_WEEKS = """
WITH top AS (
  SELECT DISTINCT ON (u.email) u.email, d.id FROM users u
  JOIN dreams d ON d.user_id = u.id JOIN ai_tests t ON t.dream_id = d.id
  WHERE u.email LIKE '%@dreams.test' GROUP BY u.email, d.id ORDER BY u.email, count(*) DESC
)
SELECT top.email, date_trunc('week', t.created_at AT TIME ZONE 'UTC') AS week,
       avg(t.impossibility_score)::float8 AS average
FROM top JOIN ai_tests t ON t.dream_id = top.id
WHERE t.status = 'COMPLETED' AND t.created_at >= $1::timestamptz - interval '90 days'
GROUP BY 1, 2 ORDER BY 1, 2
"""


async def test_most_dreams_score_lower_late_in_their_life_than_early(db: Connection):
    rows = await db.fetch(THIRDS)
    tested = [r for r in rows if int(str(r["n"])) >= 6]
    decaying = [r for r in tested if float(str(r["late"])) < float(str(r["early"]))]
    assert len(tested) >= 30
    assert len(decaying) / len(tested) >= 0.75


async def test_each_dreams_tests_spread_over_weeks(db: Connection):
    rows = await db.fetch(THIRDS)
    several = [float(str(r["span_days"])) for r in rows if int(str(r["n"])) >= 3]
    over_two_weeks = [span for span in several if span >= 14]
    assert len(over_two_weeks) / len(several) >= 0.85
    assert max(several) >= 60  # some over months


async def test_demo_accounts_weekly_charts_decay_with_plateaus_and_regressions(db: Connection):
    rows = await db.fetch(DEMO_WEEKS, ANCHOR)
    series: dict[str, list[float]] = {}
    for row in rows:
        series.setdefault(str(row["email"]), []).append(float(str(row["average"])))
    assert len(series) == 4
    rises = steps = 0
    for email, weeks in series.items():
        assert len(weeks) >= 8, email
        first, last = sum(weeks[:3]) / 3, sum(weeks[-3:]) / 3
        assert last < first * 0.85, (email, weeks)
        rises += sum(later > earlier for earlier, later in itertools.pairwise(weeks))
        steps += len(weeks) - 1
    assert 0.1 <= rises / steps <= 0.5  # noise and regressions, but mostly downhill


def test_a_story_moves_in_progress_stalls_on_plateaus_and_climbs_back_in_regressions():
    story = DecayStory.sample(random.Random(1), 100.0, demo=True)
    days = [day / 2 for day in range(0, 201)]
    progress = [story.progress_at(day) for day in days]
    speeds = {
        round(day): (later - earlier) * 2
        for day, earlier, later in zip(days, progress, progress[1:], strict=False)
    }
    assert abs(speeds[10]) < 0.1  # plateau
    assert speeds[35] == pytest.approx(2.2)  # progress
    assert speeds[49] < 0  # regression
    assert progress[-1] > progress[len(progress) // 2] > 0
    assert story.progress_at(500) >= story.progress_at(100)  # past the end it keeps its pace


def test_stories_are_deterministic_and_cover_the_whole_life():
    first = DecayStory.sample(random.Random(7), 75.0)
    assert first == DecayStory.sample(random.Random(7), 75.0)
    assert first.ends[-1] >= 75.0
    assert first.speeds[0] > 0  # every story starts by moving
    faster = DecayStory.sample(random.Random(7), 75.0, boost=1.8)
    assert faster.progress_at(75.0) > first.progress_at(75.0)
