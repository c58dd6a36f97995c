"""AI models and platform analytics (document 000's model comparison and category performance).

The analytics are platform-wide aggregates over completed tests: they name providers, models
and categories, never a dream, a user or an id, so they are the same for every viewer and are
cached once for everyone for an hour (`models:performance:stats:*`), and dropped when a test is
recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from loaders.cache import TTL
from loaders.cached import cached
from resolvers.routing import on_replica
from resolvers.validation import checked_int

if TYPE_CHECKING:
    from prisma import Prisma
    from prisma.models import AiModel
    from prisma.types import AiModelWhereInput
    from resolvers.scope import RequestScope

__all__ = [
    "CATEGORY_SQL",
    "CategoryStats",
    "ModelStats",
    "model_comparison_sql",
    "resolve_ai_models",
    "resolve_category_performance",
    "resolve_model_comparison",
]


@dataclass(frozen=True, slots=True)
class ModelStats:
    provider: str
    model: str
    display_name: str | None
    average_impossibility: float
    average_confidence: float
    average_duration_ms: float
    test_count: int


@dataclass(frozen=True, slots=True)
class CategoryStats:
    category: str
    dream_count: int
    average_impossibility: float
    total_tests: int


MODEL_STATS_ADAPTER = TypeAdapter(list[ModelStats])
CATEGORY_STATS_ADAPTER = TypeAdapter(list[CategoryStats])


def model_comparison_sql(days: str) -> str:
    """Completed tests per provider and model over the last `days` (an SQL expression) days."""
    return (
        "SELECT t.provider::text AS provider, t.model, max(m.display_name) AS display_name, "
        "avg(t.impossibility_score)::float8 AS average_impossibility, "
        "avg(t.confidence)::float8 AS average_confidence, "
        "avg(t.duration_ms)::float8 AS average_duration_ms, count(*)::int AS test_count "
        "FROM ai_tests t LEFT JOIN ai_models m ON m.provider = t.provider AND m.name = t.model "
        "WHERE t.status = 'COMPLETED' "
        f"AND t.created_at >= now() - make_interval(days => {days}::int) "
        "GROUP BY t.provider, t.model ORDER BY average_impossibility ASC, t.provider, t.model"
    )


CATEGORY_SQL = (
    "SELECT d.category::text AS category, count(DISTINCT d.id)::int AS dream_count, "
    "avg(t.impossibility_score)::float8 AS average_impossibility, "
    "count(t.id)::int AS total_tests FROM dreams d JOIN ai_tests t ON t.dream_id = d.id "
    "WHERE t.status = 'COMPLETED' AND d.status = 'ACTIVE' "
    "GROUP BY d.category ORDER BY average_impossibility ASC, d.category"
)


async def resolve_ai_models(scope: RequestScope, *, active_only: bool = True) -> list[AiModel]:
    scope.depends_on("models", ttl=TTL.MODEL_STATS)
    where: AiModelWhereInput = {"isActive": True} if active_only else {}
    return await on_replica(
        scope,
        "aiModels",
        lambda: scope.db.aimodel.find_many(
            where=where, order=[{"provider": "asc"}, {"name": "asc"}]
        ),
    )


async def _model_stats(db: Prisma, days: int) -> list[ModelStats]:
    rows = await db.query_raw(model_comparison_sql("$1"), days)
    return [
        ModelStats(
            provider=str(row["provider"]),
            model=str(row["model"]),
            display_name=row["display_name"],
            average_impossibility=round(float(row["average_impossibility"]), 2),
            average_confidence=round(float(row["average_confidence"]), 2),
            average_duration_ms=round(float(row["average_duration_ms"]), 1),
            test_count=int(row["test_count"]),
        )
        for row in rows
    ]


async def resolve_model_comparison(scope: RequestScope, days: int = 7) -> list[ModelStats]:
    """Average impossibility, confidence and duration per provider and model over the last
    `days` days, best (lowest impossibility) first."""
    days = checked_int("days", days, low=1, high=365)
    scope.depends_on("models", ttl=TTL.MODEL_STATS)
    return await cached(
        scope.cache,
        f"models:performance:stats:{days}d",
        lambda: on_replica(scope, "modelComparison", lambda: _model_stats(scope.db, days)),
        adapter=MODEL_STATS_ADAPTER,
        ttl=TTL.MODEL_STATS,
        tags=["models"],
    )


async def _category_stats(db: Prisma) -> list[CategoryStats]:
    rows = await db.query_raw(CATEGORY_SQL)
    return [
        CategoryStats(
            category=str(row["category"]),
            dream_count=int(row["dream_count"]),
            average_impossibility=round(float(row["average_impossibility"]), 2),
            total_tests=int(row["total_tests"]),
        )
        for row in rows
    ]


async def resolve_category_performance(scope: RequestScope) -> list[CategoryStats]:
    """Per category of ACTIVE dreams: how many were tested, their average impossibility and
    test count, most promising first."""
    scope.depends_on("categories", ttl=TTL.MODEL_STATS)
    return await cached(
        scope.cache,
        "models:performance:categories",
        lambda: on_replica(scope, "categoryPerformance", lambda: _category_stats(scope.db)),
        adapter=CATEGORY_STATS_ADAPTER,
        ttl=TTL.MODEL_STATS,
        tags=["categories"],
    )
