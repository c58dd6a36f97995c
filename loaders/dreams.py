"""Dream loaders: each batch is one SQL statement, results in key order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from loaders.base import Loader
from loaders.batch import ordered, storable
from loaders.cache import TTL
from loaders.cached import BatchSpec, cached_batch
from prisma.enums import TestStatus
from prisma.models import AiTest, Dream, ProgressLog

if TYPE_CHECKING:
    from loaders.cache import ResultCache
    from prisma import Prisma
    from prisma.types import (
        AiTestOrderByInput,
        AiTestWhereInput,
        FindManyAiTestArgs,
        FindManyProgressLogArgs,
    )

__all__ = [
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

NEWEST_FIRST: list[AiTestOrderByInput] = [{"createdAt": "desc"}, {"id": "desc"}]
"""idx_ai_tests_dream_timeline's order."""
LATEST_PROGRESS: FindManyProgressLogArgs = {
    "order_by": [{"createdAt": "desc"}, {"id": "desc"}],
    "take": 1,
}
"""The newest snapshot, in idx_progress_time_series's order."""
COMPLETED = TestStatus.COMPLETED


@dataclass(frozen=True, slots=True)
class AiTestStats:
    """Aggregates over a dream's COMPLETED tests."""

    test_count: int
    best_score: Decimal | None


class DreamByIdLoader(Loader[str, Dream | None]):
    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[Dream | None]:
        wanted = [key for key in keys if storable(key)]  # one bad id must not fail the batch
        rows = await self._db.dream.find_many(where={"id": {"in": wanted}}) if wanted else []
        return ordered(keys, rows, lambda row: row.id)


class LatestProgressByDreamIdLoader(Loader[str, ProgressLog | None]):
    """The newest progress snapshot of each dream: one statement (the join strategy's LATERAL
    `LIMIT 1` per dream over idx_progress_time_series)."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[ProgressLog | None]:
        wanted = [key for key in keys if storable(key)]
        dreams = await self._db.dream.find_many(
            where={"id": {"in": wanted}},
            select={"id": True, "progressLogs": LATEST_PROGRESS},
            relation_load_strategy="join",
        )
        latest = {d.id: d.progressLogs[0] for d in dreams if d.progressLogs}
        return [latest.get(key) for key in keys]


class AiTestStatsByDreamIdLoader(Loader[str, AiTestStats]):
    """Test count and best (lowest) impossibility score of each dream's completed tests: one
    `group_by` statement."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[AiTestStats]:
        rows = await self._db.aitest.group_by(
            ["dreamId"],
            where={"dreamId": {"in": [key for key in keys if storable(key)]}, "status": COMPLETED},
            count={"_all": True},
            min={"impossibilityScore": True},
        )
        stats = {
            row.get("dreamId"): AiTestStats(
                test_count=row.get("_count", {}).get("_all", 0),
                best_score=row.get("_min", {}).get("impossibilityScore"),
            )
            for row in rows
        }
        empty = AiTestStats(test_count=0, best_score=None)
        return [stats.get(key, empty) for key in keys]


RecentTestsKey = tuple[str, int, str | None]
"""(dream id, limit, status or None for every status)"""


class RecentAiTestsByDreamIdLoader(Loader[RecentTestsKey, list[AiTest]]):
    """The newest `limit` tests of each dream, of one status or of all, keyed by
    `(dream_id, limit, status)`.

    One statement per status asked in the batch, whatever the limits: the join strategy reads
    the largest limit of the batch for every dream (each a LATERAL index range scan of
    idx_ai_tests_dream_timeline) and each key keeps its own first `limit`.
    """

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[RecentTestsKey]) -> list[list[AiTest]]:
        found: dict[tuple[str, str | None], list[AiTest]] = {}
        for status in dict.fromkeys(status for _, _, status in keys):
            wanted = [key for key in keys if key[2] == status]
            dream_ids = sorted({dream_id for dream_id, _, _ in wanted if storable(dream_id)})
            where: AiTestWhereInput = {} if status is None else {"status": TestStatus(status)}
            tests: FindManyAiTestArgs = {
                "where": where,
                "order_by": NEWEST_FIRST,
                "take": max(limit for _, limit, _ in wanted),
            }
            dreams = await self._db.dream.find_many(
                where={"id": {"in": dream_ids}},
                select={"id": True, "aiTests": tests},
                relation_load_strategy="join",
            )
            found.update(((d.id, status), d.aiTests or []) for d in dreams)
        return [found.get((dream_id, status), [])[:limit] for dream_id, limit, status in keys]


@dataclass(frozen=True, slots=True)
class DecayPoint:
    bucket_start: datetime
    average: float
    best: float
    count: int


ChartKey = tuple[str, int, str]
"""(dream id, days back, bucket: "day" or "week")"""
DECAY_POINTS_ADAPTER = TypeAdapter(list[DecayPoint])


class DecayPointsByDreamIdLoader(Loader[ChartKey, list[DecayPoint]]):
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
