"""GraphQL types of AI models and the platform analytics over their tests."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import AiProvider, DreamCategory
from api.types.scalars import MICROS, Money, money
from prisma import models
from resolvers import models as rules

__all__ = ["AiModel", "CategoryPerformance", "ModelPerformance", "ModelQuery"]


@strawberry.type(description="An AI model tests can run against, with its price.")
class AiModel:
    id: strawberry.ID = strawberry.field(description="The model's id.")
    provider: AiProvider = strawberry.field(description="Who made it.")
    name: str = strawberry.field(description="Its API name, e.g. `gpt-4o`; unique per provider.")
    display_name: str = strawberry.field(description="Its name for people.")
    max_tokens: int = strawberry.field(description="Its context window, in tokens.")
    cost_per_1k_tokens: Money = strawberry.field(description="Price per 1000 tokens.")
    is_active: bool = strawberry.field(description="Whether tests may still use it.")
    capabilities: list[str] = strawberry.field(description="What it can do, e.g. `vision`.")

    @classmethod
    def from_model(cls, model: models.AiModel) -> AiModel:
        return cls(
            id=strawberry.ID(model.id),
            provider=model.provider,
            name=model.name,
            display_name=model.displayName,
            max_tokens=model.maxTokens,
            cost_per_1k_tokens=money(model.costPer1kTokens, MICROS),
            is_active=model.isActive,
            capabilities=list(model.capabilities),
        )


@strawberry.type(description="How one model scored its completed tests over a period.")
class ModelPerformance:
    provider: AiProvider = strawberry.field(description="Who made the model.")
    model: str = strawberry.field(description="The model's name as tests recorded it.")
    display_name: str | None = strawberry.field(
        description="Its name for people; null for a model not in `aiModels`."
    )
    average_impossibility: float = strawberry.field(description="Average score, 0-100.")
    average_confidence: float = strawberry.field(description="Average confidence, 0-100.")
    average_duration_ms: float = strawberry.field(description="Average run time in ms.")
    test_count: int = strawberry.field(description="Completed tests in the period.")

    @classmethod
    def from_stats(cls, stats: rules.ModelStats) -> ModelPerformance:
        return cls(
            provider=AiProvider(stats.provider),
            model=stats.model,
            display_name=stats.display_name,
            average_impossibility=stats.average_impossibility,
            average_confidence=stats.average_confidence,
            average_duration_ms=stats.average_duration_ms,
            test_count=stats.test_count,
        )


@strawberry.type(description="How the completed tests of active dreams of one category scored.")
class CategoryPerformance:
    category: DreamCategory = strawberry.field(description="The category.")
    dream_count: int = strawberry.field(description="Active dreams with a completed test.")
    average_impossibility: float = strawberry.field(description="Average score, 0-100.")
    total_tests: int = strawberry.field(description="Their completed tests.")

    @classmethod
    def from_stats(cls, stats: rules.CategoryStats) -> CategoryPerformance:
        return cls(
            category=DreamCategory(stats.category),
            dream_count=stats.dream_count,
            average_impossibility=stats.average_impossibility,
            total_tests=stats.total_tests,
        )


@strawberry.type
class ModelQuery:
    @strawberry.field(description="The AI models tests can run against.")
    async def ai_models(
        self,
        info: Info,
        active_only: Annotated[
            bool, strawberry.argument(description="Leave out retired models.")
        ] = True,
    ) -> list[AiModel]:
        rows = await rules.resolve_ai_models(scope_of(info), active_only=active_only)
        return [AiModel.from_model(row) for row in rows]

    @strawberry.field(
        description="Completed tests per provider and model over the last `days` days (1-365), "
        "lowest average impossibility first. Platform-wide; cached for an hour."
    )
    async def model_comparison(
        self,
        info: Info,
        days: Annotated[int, strawberry.argument(description="How far back, 1-365.")] = 7,
    ) -> list[ModelPerformance]:
        stats = await rules.resolve_model_comparison(scope_of(info), days)
        return [ModelPerformance.from_stats(row) for row in stats]

    @strawberry.field(
        description="Completed tests of active dreams per category, most promising first."
    )
    async def category_performance(self, info: Info) -> list[CategoryPerformance]:
        stats = await rules.resolve_category_performance(scope_of(info))
        return [CategoryPerformance.from_stats(row) for row in stats]
