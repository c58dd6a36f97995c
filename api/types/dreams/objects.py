"""GraphQL types of the dreams domain: dreams, AI tests, progress, decay charts, dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.types.common import Info, scope_of, score
from api.types.enums import AiProvider, DreamCategory, DreamStatus, TestStatus, described_enum
from api.types.pagination import After, Connection, PageSize, to_connection
from api.types.scalars import MICROS, Money, money
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

described_enum(
    ChartBucket,
    "How a decay chart groups tests: per UTC day or week.",
    {"DAY": "One point per UTC day.", "WEEK": "One point per week, starting on Monday (UTC)."},
)
described_enum(
    ChartRange,
    "How far back a decay chart looks, counted from now.",
    {
        "LAST_7_DAYS": "The last 7 days.",
        "LAST_30_DAYS": "The last 30 days.",
        "LAST_90_DAYS": "The last 90 days.",
        "LAST_365_DAYS": "The last 365 days.",
    },
)


@strawberry.type(description="One run of a dream against an AI model.")
class AiTest:
    id: strawberry.ID = strawberry.field(description="The test's id.")
    provider: AiProvider = strawberry.field(description="Who made the model.")
    model: str = strawberry.field(description="The model's name, e.g. `gpt-4o`.")
    impossibility_score: float = strawberry.field(
        description="0-100, lower is better: how impossible the model found the dream. "
        "Meaningful for COMPLETED tests only (100 while PENDING or after a failure)."
    )
    confidence: float = strawberry.field(description="0-100: how sure the model was.")
    reasoning: str = strawberry.field(description="Why the model scored it so.")
    duration_ms: int = strawberry.field(description="How long the run took, in milliseconds.")
    tokens_used: int = strawberry.field(description="Prompt and completion tokens together.")
    cost: Money = strawberry.field(description="What the run cost.")
    status: TestStatus = strawberry.field(
        description="Only COMPLETED tests count towards scores, progress and charts."
    )
    created_at: datetime = strawberry.field(description="When the test was recorded.")

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
            cost=money(test.cost, MICROS),
            status=test.status,
            created_at=test.createdAt,
        )


@strawberry.type(
    description="A snapshot of a dream's progress over its COMPLETED tests, written each time "
    "one completes (FAILED and PENDING tests change no average, so they write none)."
)
class ProgressLog:
    id: strawberry.ID = strawberry.field(description="The snapshot's id.")
    average_impossibility: float = strawberry.field(
        description="Average score of all the dream's completed tests so far."
    )
    best_score: float = strawberry.field(description="Lowest score of a completed test so far.")
    test_count: int = strawberry.field(description="Completed tests so far.")
    active_models: list[str] = strawberry.field(
        description="Models that completed a test of the dream, by name."
    )
    improvement_trend: float = strawberry.field(
        description="Percent change of the average since the previous snapshot; negative is "
        "better, 0 for the first."
    )
    created_at: datetime = strawberry.field(description="When the snapshot was taken.")

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
    bucket_start: datetime = strawberry.field(description="Start of the day or week (Monday), UTC.")
    average: float = strawberry.field(description="Average score of the bucket's tests.")
    best: float = strawberry.field(description="Lowest score in the bucket.")
    count: int = strawberry.field(description="Completed tests in the bucket.")

    @classmethod
    def from_point(cls, point: rules.DecayPoint) -> DecayPoint:
        return cls(
            bucket_start=point.bucket_start,
            average=point.average,
            best=point.best,
            count=point.count,
        )


@strawberry.type(description="How a dream's impossibility score decays over time.")
class DecayChart:
    points: list[DecayPoint] = strawberry.field(
        description="Buckets with at least one completed test, oldest first."
    )
    trend: float | None = strawberry.field(
        description="Percent change of the average from the first bucket to the last "
        "(negative: becoming less impossible); null with fewer than two buckets."
    )

    @classmethod
    def from_chart(cls, chart: rules.DecayChart) -> DecayChart:
        return cls(points=[DecayPoint.from_point(p) for p in chart.points], trend=chart.trend)


@strawberry.type(
    description="A goal AI can't reach yet; public ones are visible to everyone, private ones "
    "to their owner only."
)
class Dream:
    id: strawberry.ID = strawberry.field(description="The dream's id.")
    title: str = strawberry.field(description="A short name, 1-200 characters.")
    description: str = strawberry.field(description="What the dream is about, in prose.")
    original_prompt: str = strawberry.field(description="The prompt tests send to the models.")
    category: DreamCategory = strawberry.field(description="What kind of goal it is.")
    tags: list[str] = strawberry.field(description="Lower-case labels, at most 20.")
    is_public: bool = strawberry.field(description="Whether everyone may see it.")
    status: DreamStatus = strawberry.field(description="Where the dream stands.")
    created_at: datetime = strawberry.field(description="When it was written down.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
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

    @strawberry.field(description="Who wrote the dream down.")
    async def owner(self, info: Info) -> User:
        return await load_user(info, self.model.userId)

    @strawberry.field(description="The newest progress snapshot; null until a test completed.")
    async def latest_progress(self, info: Info) -> ProgressLog | None:
        log = await rules.resolve_latest_progress(scope_of(info), self.model)
        return None if log is None else ProgressLog.from_model(log)

    @strawberry.field(
        description="How many of the dream's tests COMPLETED (failed and pending ones are "
        "listed by `aiTests` but not counted; `aiTests(status: COMPLETED)` lists these)."
    )
    async def test_count(self, info: Info) -> int:
        return (await rules.resolve_ai_test_stats(scope_of(info), self.model)).test_count

    @strawberry.field(
        description="The lowest impossibility score of a COMPLETED test; null without one."
    )
    async def best_score(self, info: Info) -> float | None:
        best = (await rules.resolve_ai_test_stats(scope_of(info), self.model)).best_score
        return None if best is None else score(best)

    @strawberry.field(description="The dream's tests, newest first: every status unless asked.")
    async def ai_tests(
        self,
        info: Info,
        *,
        first: PageSize = 20,
        after: After = None,
        status: Annotated[
            TestStatus | None,
            strawberry.argument(description="Only tests with this status (null: all)."),
        ] = None,
    ) -> Connection[AiTest]:
        page = await rules.resolve_ai_tests(
            scope_of(info), self.model, first=first, after=after, status=status
        )
        return to_connection(page, AiTest.from_model)

    @strawberry.field(
        description="Impossibility decay: per bucket average, best and count of COMPLETED "
        "tests. Cached for 10 minutes and refreshed when a test is recorded. Also served as a "
        "picture: `GET /charts/dreams/{id}/decay.svg` (or `.png`) with the same arguments."
    )
    async def decay_chart(
        self,
        info: Info,
        *,
        range_: Annotated[
            ChartRange, strawberry.argument(name="range", description="How far back to look.")
        ] = ChartRange.LAST_30_DAYS,
        bucket: Annotated[
            ChartBucket, strawberry.argument(description="One point per day or per week.")
        ] = ChartBucket.DAY,
    ) -> DecayChart:
        chart = await rules.resolve_decay_chart(
            scope_of(info), self.model, range_=range_, bucket=bucket
        )
        return DecayChart.from_chart(chart)


@strawberry.type(description="The signed-in user's overview (cached for 5 minutes).")
class Dashboard:
    dreams: list[Dream] = strawberry.field(
        description="The viewer's newest ACTIVE dreams, as many as `first` asks; their fields "
        "come from the same cache."
    )
    dream_count: int = strawberry.field(
        description="All of the viewer's ACTIVE dreams, however many `dreams` shows."
    )
    total_tests: int = strawberry.field(
        description="COMPLETED tests of all of the viewer's ACTIVE dreams, whatever `first` is."
    )

    @classmethod
    def from_dashboard(cls, dashboard: rules.Dashboard) -> Dashboard:
        dreams = [Dream.from_model(entry.dream) for entry in dashboard.entries]
        return cls(
            dreams=dreams, dream_count=dashboard.dream_count, total_tests=dashboard.total_tests
        )
