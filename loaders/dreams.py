"""Dream loaders: each batch is one SQL statement, results in key order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from aiodataloader import DataLoader
from pydantic import TypeAdapter

from loaders.batch import columns, grouped, ordered, storable
from loaders.cache import TTL
from loaders.cached import BatchSpec, cached_batch
from prisma.models import AiTest, Dream, ProgressLog

if TYPE_CHECKING:
    from loaders.cache import ResultCache
    from prisma import Prisma

__all__ = [
    "AI_TEST_COLUMNS",
    "AiTestStats",
    "AiTestStatsByDreamIdLoader",
    "ChartKey",
    "DecayPoint",
    "DecayPointsByDreamIdLoader",
    "DreamByIdLoader",
    "LatestProgressByDreamIdLoader",
    "RecentAiTestsByDreamIdLoader",
    "RecentTestsKey",
]

AI_TEST_COLUMNS = {
    "id": "id",
    "dreamId": "dream_id",
    "userId": "user_id",
    "provider": "provider",
    "model": "model",
    "impossibilityScore": "impossibility_score",
    "confidence": "confidence",
    "reasoning": "reasoning",
    "durationMs": "duration_ms",
    "tokensUsed": "tokens_used",
    "cost": "cost",
    "status": "status",
    "testParameters": "test_parameters",
    "createdAt": "created_at",
}
PROGRESS_COLUMNS = {
    "id": "id",
    "dreamId": "dream_id",
    "averageImpossibility": "average_impossibility",
    "bestScore": "best_score",
    "testCount": "test_count",
    "activeModels": "active_models",
    "improvementTrend": "improvement_trend",
    "snapshotData": "snapshot_data",
    "createdAt": "created_at",
}


@dataclass(frozen=True, slots=True)
class AiTestStats:
    """Aggregates over a dream's COMPLETED tests."""

    test_count: int
    best_score: Decimal | None


class DreamByIdLoader(DataLoader[str, Dream | None]):
    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[Dream | None]:
        wanted = [key for key in keys if storable(key)]  # one bad id must not fail the batch
        rows = await self._db.dream.find_many(where={"id": {"in": wanted}}) if wanted else []
        return ordered(keys, rows, lambda row: row.id)


class LatestProgressByDreamIdLoader(DataLoader[str, ProgressLog | None]):
    """The newest progress snapshot of each dream (DISTINCT ON over idx_progress_time_series)."""

    SQL = (
        f"SELECT DISTINCT ON (p.dream_id) {columns('p', PROGRESS_COLUMNS)} "
        "FROM progress_logs p WHERE p.dream_id = ANY($1::text[]) "
        "ORDER BY p.dream_id, p.created_at DESC, p.id DESC"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[ProgressLog | None]:
        rows = await self._db.query_raw(self.SQL, keys, model=ProgressLog)
        return ordered(keys, rows, lambda row: row.dreamId)


class AiTestStatsByDreamIdLoader(DataLoader[str, AiTestStats]):
    """Test count and best (lowest) impossibility score of each dream's completed tests."""

    SQL = (
        "SELECT t.dream_id, count(*)::int AS test_count, min(t.impossibility_score) AS best_score "
        "FROM ai_tests t WHERE t.dream_id = ANY($1::text[]) AND t.status = 'COMPLETED' "
        "GROUP BY t.dream_id"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[AiTestStats]:
        rows = await self._db.query_raw(self.SQL, keys)
        stats = {
            str(row["dream_id"]): AiTestStats(
                test_count=int(row["test_count"]),
                best_score=None if row["best_score"] is None else Decimal(row["best_score"]),
            )
            for row in rows
        }
        empty = AiTestStats(test_count=0, best_score=None)
        return [stats.get(key, empty) for key in keys]


RecentTestsKey = tuple[str, int, str | None]
"""(dream id, limit, status or None for every status)"""


class RecentAiTestsByDreamIdLoader(DataLoader[RecentTestsKey, list[AiTest]]):
    """The newest `limit` tests of each dream, of one status or of all, keyed by
    `(dream_id, limit, status)`.

    One LATERAL statement per status asked in the batch, whatever the limits: it fetches the
    largest limit of the batch for every dream (each an index range scan of
    idx_ai_tests_dream_timeline) and each key keeps its own first `limit`.
    """

    SQL = (
        f"SELECT {columns('t', AI_TEST_COLUMNS)} FROM unnest($1::text[]) AS d(id) "
        "CROSS JOIN LATERAL (SELECT * FROM ai_tests x WHERE x.dream_id = d.id "
        "AND ($3::text IS NULL OR x.status::text = $3::text) "
        "ORDER BY x.created_at DESC, x.id DESC LIMIT $2) t "
        "ORDER BY t.dream_id, t.created_at DESC, t.id DESC"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[RecentTestsKey]) -> list[list[AiTest]]:
        found: dict[tuple[str, str | None], list[AiTest]] = {}
        for status in dict.fromkeys(status for _, _, status in keys):
            wanted = [key for key in keys if key[2] == status]
            dream_ids = sorted({dream_id for dream_id, _, _ in wanted})
            limit = max(limit for _, limit, _ in wanted)
            rows = await self._db.query_raw(self.SQL, dream_ids, limit, status, model=AiTest)
            groups = grouped(dream_ids, rows, lambda row: row.dreamId)
            found.update(((d, status), g) for d, g in zip(dream_ids, groups, strict=True))
        return [found[dream_id, status][:limit] for dream_id, limit, status in keys]


@dataclass(frozen=True, slots=True)
class DecayPoint:
    bucket_start: datetime
    average: float
    best: float
    count: int


ChartKey = tuple[str, int, str]
"""(dream id, days back, bucket: "day" or "week")"""
DECAY_POINTS_ADAPTER = TypeAdapter(list[DecayPoint])


class DecayPointsByDreamIdLoader(DataLoader[ChartKey, list[DecayPoint]]):
    """Each dream's completed tests per UTC day or week over its range (document 000's progress
    visualization query) for a whole batch in one statement, whatever ranges are asked.

    Each chart is cached for 10 minutes under `dream:{id}:progress:{days}d:{bucket}` (tag
    `dream:{id}`) once `use_cache` gave the loader the request's cache; the misses of a batch
    are computed together.
    """

    SQL = (
        "SELECT k.dream_id, k.days, k.bucket, "
        "date_trunc(k.bucket, t.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, "
        "avg(t.impossibility_score)::float8 AS average, "
        "min(t.impossibility_score)::float8 AS best, count(*)::int AS count "
        "FROM unnest($1::text[], $2::int[], $3::text[]) AS k(dream_id, days, bucket) "
        "JOIN ai_tests t ON t.dream_id = k.dream_id AND t.status = 'COMPLETED' "
        "AND t.created_at >= now() - make_interval(days => k.days) "
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db
        self._results: ResultCache | None = None
        self._spec = BatchSpec(
            self._compute,
            key_of=lambda key: f"dream:{key[0]}:progress:{key[1]}d:{key[2]}",
            tags_of=lambda key: [f"dream:{key[0]}"],
            adapter=DECAY_POINTS_ADAPTER,
            ttl=TTL.DREAM_PROGRESS,
        )

    def use_cache(self, cache: ResultCache) -> None:
        self._results = cache

    async def batch_load_fn(self, keys: list[ChartKey]) -> list[list[DecayPoint]]:
        if self._results is None:
            return await self._compute(keys)
        return await cached_batch(self._results, keys, self._spec)

    async def _compute(self, keys: list[ChartKey]) -> list[list[DecayPoint]]:
        dream_ids, days, buckets = (list(column) for column in zip(*keys, strict=True))
        rows = await self._db.query_raw(self.SQL, dream_ids, days, buckets)
        points: defaultdict[ChartKey, list[DecayPoint]] = defaultdict(list)
        for row in rows:
            key = (str(row["dream_id"]), int(row["days"]), str(row["bucket"]))
            points[key].append(
                DecayPoint(
                    bucket_start=row["start"],
                    average=round(float(row["average"]), 2),
                    best=float(row["best"]),
                    count=int(row["count"]),
                )
            )
        return [points.get(key, []) for key in keys]
