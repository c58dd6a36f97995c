"""GraphQL types of the dreams domain: dreams, AI tests, progress, decay charts, dashboard."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from api.types.common import Info, scope_of, score
from api.types.enums import AiProvider, DreamCategory, DreamStatus, TestStatus
from api.types.pagination import Connection, to_connection
from api.types.users import User, load_user
from prisma import models
from resolvers import dreams as rules
from resolvers.dreams import ChartBucket, ChartRange

__all__ = [
    "AiTest",
    "Dashboard",
    "DecayChart",
    "DecayPoint",
    "Dream",
    "ProgressLog",
]

strawberry.enum(ChartBucket, description="How a decay chart groups tests: per UTC day or week.")
strawberry.enum(ChartRange, description="How far back a decay chart looks.")


@strawberry.type(description="One run of a dream against an AI model.")
class AiTest:
    id: strawberry.ID
    provider: AiProvider
    model: str
    impossibility_score: float
    confidence: float
    reasoning: str
    duration_ms: int
    tokens_used: int
    cost: Decimal
    status: TestStatus
    created_at: datetime

    @classmethod
    def from_model(cls, test: models.AiTest) -> AiTest:
        return cls(
            id=strawberry.ID(test.id),
            provider=test.provider,
            model=test.model,
            impossibility_score=score(test.impossibilityScore),
            confidence=score(test.confidence),
            reasoning=test.reasoning,
            duration_ms=test.durationMs,
            tokens_used=test.tokensUsed,
            cost=test.cost,
            status=test.status,
            created_at=test.createdAt,
        )


@strawberry.type(description="A snapshot of a dream's progress, written with each test.")
class ProgressLog:
    id: strawberry.ID
    average_impossibility: float
    best_score: float
    test_count: int
    active_models: list[str]
    improvement_trend: float = strawberry.field(
        description="Percent change of the average since the previous snapshot; negative is better."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, log: models.ProgressLog) -> ProgressLog:
        return cls(
            id=strawberry.ID(log.id),
            average_impossibility=score(log.averageImpossibility),
            best_score=score(log.bestScore),
            test_count=log.testCount,
            active_models=list(log.activeModels),
            improvement_trend=score(log.improvementTrend),
            created_at=log.createdAt,
        )


@strawberry.type(description="Completed tests in one UTC day or week.")
class DecayPoint:
    bucket_start: datetime
    average: float
    best: float
    count: int


@strawberry.type(description="How a dream's impossibility score decays over time.")
class DecayChart:
    points: list[DecayPoint]
    trend: float | None = strawberry.field(
        description="Percent change of the average from the first bucket to the last "
        "(negative: becoming less impossible); null with fewer than two buckets."
    )

    @classmethod
    def from_chart(cls, chart: rules.DecayChart) -> DecayChart:
        points = [
            DecayPoint(bucket_start=p.bucket_start, average=p.average, best=p.best, count=p.count)
            for p in chart.points
        ]
        return cls(points=points, trend=chart.trend)


@strawberry.type(
    description="A goal AI can't reach yet; public ones are visible to everyone, private ones "
    "to their owner only."
)
class Dream:
    id: strawberry.ID
    title: str
    description: str
    original_prompt: str
    category: DreamCategory
    tags: list[str]
    is_public: bool
    status: DreamStatus
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[models.Dream]

    @classmethod
    def from_model(cls, dream: models.Dream) -> Dream:
        return cls(
            id=strawberry.ID(dream.id),
            title=dream.title,
            description=dream.description,
            original_prompt=dream.originalPrompt,
            category=dream.category,
            tags=list(dream.tags),
            is_public=dream.isPublic,
            status=dream.status,
            created_at=dream.createdAt,
            updated_at=dream.updatedAt,
            model=dream,
        )

    @strawberry.field
    async def owner(self, info: Info) -> User:
        return await load_user(info, self.model.userId)

    @strawberry.field
    async def latest_progress(self, info: Info) -> ProgressLog | None:
        log = await rules.resolve_latest_progress(scope_of(info), self.model)
        return None if log is None else ProgressLog.from_model(log)

    @strawberry.field(description="How many of the dream's tests completed.")
    async def test_count(self, info: Info) -> int:
        return (await rules.resolve_ai_test_stats(scope_of(info), self.model)).test_count

    @strawberry.field(description="The lowest impossibility score of a completed test.")
    async def best_score(self, info: Info) -> float | None:
        best = (await rules.resolve_ai_test_stats(scope_of(info), self.model)).best_score
        return None if best is None else score(best)

    @strawberry.field(description="The dream's tests, newest first.")
    async def ai_tests(
        self, info: Info, *, first: int | None = 20, after: str | None = None
    ) -> Connection[AiTest]:
        page = await rules.resolve_ai_tests(scope_of(info), self.model, first=first, after=after)
        return to_connection(page, AiTest.from_model)

    @strawberry.field(description="Impossibility decay: per bucket average, best and count.")
    async def decay_chart(
        self,
        info: Info,
        *,
        range_: Annotated[ChartRange, strawberry.argument(name="range")] = ChartRange.LAST_30_DAYS,
        bucket: ChartBucket = ChartBucket.DAY,
    ) -> DecayChart:
        chart = await rules.resolve_decay_chart(
            scope_of(info), self.model, range_=range_, bucket=bucket
        )
        return DecayChart.from_chart(chart)


@strawberry.type(description="The signed-in user's overview (cached for 5 minutes).")
class Dashboard:
    dreams: list[Dream] = strawberry.field(
        description="The viewer's newest ACTIVE dreams; their fields come from the same cache."
    )
    total_tests: int

    @classmethod
    def from_dashboard(cls, dashboard: rules.Dashboard) -> Dashboard:
        dreams = [Dream.from_model(entry.dream) for entry in dashboard.entries]
        return cls(dreams=dreams, total_tests=dashboard.total_tests)
