"""GraphQL types of AI models and the platform analytics over their tests."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import AiProvider, DreamCategory
from prisma import models
from resolvers import models as rules

__all__ = ["AiModel", "CategoryPerformance", "ModelPerformance", "ModelQuery"]


@strawberry.type
class AiModel:
    id: strawberry.ID
    provider: AiProvider
    name: str
    display_name: str
    max_tokens: int
    cost_per_1k_tokens: Decimal
    is_active: bool
    capabilities: list[str]

    @classmethod
    def from_model(cls, model: models.AiModel) -> AiModel:
        return cls(
            id=strawberry.ID(model.id),
            provider=model.provider,
            name=model.name,
            display_name=model.displayName,
            max_tokens=model.maxTokens,
            cost_per_1k_tokens=model.costPer1kTokens,
            is_active=model.isActive,
            capabilities=list(model.capabilities),
        )


@strawberry.type
class ModelPerformance:
    provider: AiProvider
    model: str
    display_name: str | None
    average_impossibility: float
    average_confidence: float
    average_duration_ms: float
    test_count: int

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


@strawberry.type
class CategoryPerformance:
    category: DreamCategory
    dream_count: int
    average_impossibility: float
    total_tests: int

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
    async def ai_models(self, info: Info, active_only: bool = True) -> list[AiModel]:
        rows = await rules.resolve_ai_models(scope_of(info), active_only=active_only)
        return [AiModel.from_model(row) for row in rows]

    @strawberry.field(
        description="Completed tests per provider and model over the last `days` days (1-365), "
        "lowest average impossibility first. Platform-wide; cached for an hour."
    )
    async def model_comparison(self, info: Info, days: int = 7) -> list[ModelPerformance]:
        stats = await rules.resolve_model_comparison(scope_of(info), days)
        return [ModelPerformance.from_stats(row) for row in stats]

    @strawberry.field(
        description="Completed tests of active dreams per category, most promising first."
    )
    async def category_performance(self, info: Info) -> list[CategoryPerformance]:
        stats = await rules.resolve_category_performance(scope_of(info))
        return [CategoryPerformance.from_stats(row) for row in stats]
