"""Impossibility decay: recording a test (and the progress snapshot it produces, in the same
transaction), the decay chart, and the viewer's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from loaders.cache import TTL
from loaders.cached import cached
from loaders.dreams import AiTestStats, DecayPoint
from prisma.enums import DreamStatus, TestStatus
from prisma.fields import Json
from prisma.models import Dream, ProgressLog
from resolvers.access import require_user
from resolvers.pagination import page_size

if TYPE_CHECKING:
    from prisma import Prisma
    from prisma.types import DreamWhereInput
    from resolvers.scope import RequestScope

__all__ = [
    "ChartBucket",
    "ChartRange",
    "Dashboard",
    "DashboardEntry",
    "DecayChart",
    "DecayPoint",
    "improvement_trend",
    "resolve_dashboard",
    "resolve_decay_chart",
    "write_progress",
]


class ChartBucket(StrEnum):
    DAY = "day"
    WEEK = "week"


class ChartRange(StrEnum):
    """Ranges are an enum, not free days, so every chart has a small, shareable cache key."""

    LAST_7_DAYS = "7"
    LAST_30_DAYS = "30"
    LAST_90_DAYS = "90"
    LAST_365_DAYS = "365"


@dataclass(frozen=True, slots=True)
class DecayChart:
    """`trend`: percent change of the average from the first bucket to the last (negative means
    the dream is becoming less impossible); None with fewer than two buckets."""

    points: list[DecayPoint]
    trend: float | None


def improvement_trend(previous: float | Decimal | None, current: float | Decimal) -> Decimal:
    """Percent change from `previous` to `current`, within DECIMAL(5,2)'s range."""
    if previous is None or previous == 0:
        return Decimal("0.00")
    change = (Decimal(str(current)) - Decimal(str(previous))) / Decimal(str(previous)) * 100
    return max(Decimal("-999.99"), min(Decimal("999.99"), change)).quantize(Decimal("0.01"))


async def resolve_decay_chart(
    scope: RequestScope, dream: Dream, *, range_: ChartRange, bucket: ChartBucket
) -> DecayChart:
    """Per-bucket average, best and count of a dream's completed tests. Charts of a whole list
    of dreams come from one statement; each is cached for 10 minutes and dropped when a test
    of its dream is recorded (see `DecayPointsByDreamIdLoader`)."""
    scope.depends_on(f"dream:{dream.id}", ttl=TTL.DREAM_PROGRESS)
    scope.loaders.use_cache(scope.cache)
    points = await scope.loaders.decay_points_by_dream_id.load(
        (dream.id, int(range_.value), bucket.value)
    )
    trend = None
    if len(points) >= 2:
        trend = float(improvement_trend(points[0].average, points[-1].average))
    return DecayChart(points=points, trend=trend)


PROGRESS_SQL = (
    "SELECT count(*)::int AS test_count, avg(t.impossibility_score) AS average, "
    "min(t.impossibility_score) AS best, "
    "coalesce(array_agg(DISTINCT t.model) FILTER (WHERE t.model IS NOT NULL), '{}') AS models, "
    "(SELECT p.average_impossibility FROM progress_logs p WHERE p.dream_id = $1 "
    "ORDER BY p.created_at DESC, p.id DESC LIMIT 1) AS previous "
    "FROM ai_tests t WHERE t.dream_id = $1 AND t.status = 'COMPLETED'"
)


async def write_progress(tx: Prisma, dream_id: str) -> ProgressLog | None:
    """Append the dream's progress snapshot after a test; None while no test has completed.
    Runs inside the recording transaction, after the dream row was locked."""
    row = await tx.query_first(PROGRESS_SQL, dream_id)
    if row is None or int(row["test_count"]) == 0:
        return None
    average = Decimal(row["average"]).quantize(Decimal("0.01"))
    previous = None if row["previous"] is None else Decimal(row["previous"])
    models = sorted(str(m) for m in row["models"])
    trend = improvement_trend(previous, average)
    snapshot = {"previousAverage": None if previous is None else float(previous)}
    return await tx.progresslog.create(
        data={
            "dream": {"connect": {"id": dream_id}},
            "averageImpossibility": average,
            "bestScore": Decimal(row["best"]),
            "testCount": int(row["test_count"]),
            "activeModels": models,
            "improvementTrend": trend,
            "snapshotData": Json(snapshot),
        }
    )


@dataclass(frozen=True, slots=True)
class DashboardEntry:
    dream: Dream
    latest_progress: ProgressLog | None
    stats: AiTestStats


@dataclass(frozen=True, slots=True)
class Dashboard:
    """`entries`: the newest `first` ACTIVE dreams; `dream_count` and `total_tests` cover all
    of the viewer's ACTIVE dreams (completed tests only), whatever `first` is."""

    entries: list[DashboardEntry]
    dream_count: int
    total_tests: int


DASHBOARD_ADAPTER = TypeAdapter(Dashboard)


async def _compute_dashboard(scope: RequestScope, user_id: str, first: int) -> Dashboard:
    active: DreamWhereInput = {"userId": user_id, "status": DreamStatus.ACTIVE}
    dreams = await scope.db.dream.find_many(
        where=active, order=[{"createdAt": "desc"}, {"id": "desc"}], take=first
    )
    dream_count = await scope.db.dream.count(where=active)
    total_tests = await scope.db.aitest.count(
        where={"status": TestStatus.COMPLETED, "dream": {"is": active}}
    )
    ids = [dream.id for dream in dreams]
    progress = await scope.loaders.latest_progress_by_dream_id.load_many(ids)
    stats = await scope.loaders.ai_test_stats_by_dream_id.load_many(ids)
    entries = [
        DashboardEntry(dream=d, latest_progress=p, stats=s)
        for d, p, s in zip(dreams, progress, stats, strict=True)
    ]
    return Dashboard(entries=entries, dream_count=dream_count, total_tests=total_tests)


async def resolve_dashboard(scope: RequestScope, first: int | None = None) -> Dashboard:
    """Document 000's dashboard: the viewer's newest ACTIVE dreams with their latest progress
    and test counts, and totals over all of them. Cached per user for 5 minutes under
    `user:{id}:dreams` and each dream's tag; a hit primes the loaders, so the dreams' fields
    cost no statement."""
    user_id = require_user(scope.viewer, "see your dashboard")
    first = page_size(first)
    dreams_tag = f"user:{user_id}:dreams"
    scope.depends_on(dreams_tag, ttl=TTL.DASHBOARD)
    dashboard = await cached(
        scope.cache,
        f"user:{user_id}:dashboard:v2:{first}",  # v2: with the totals
        lambda: _compute_dashboard(scope, user_id, first),
        adapter=DASHBOARD_ADAPTER,
        ttl=TTL.DASHBOARD,
        tags=[dreams_tag],
    )
    for entry in dashboard.entries:
        dream_id = entry.dream.id
        scope.depends_on(f"dream:{dream_id}", ttl=TTL.DASHBOARD)
        scope.loaders.dream_by_id.prime(dream_id, entry.dream)
        scope.loaders.latest_progress_by_dream_id.prime(dream_id, entry.latest_progress)
        scope.loaders.ai_test_stats_by_dream_id.prime(dream_id, entry.stats)
    return dashboard
