"""Arguments of the dreams domain: filters, sorts, mutation inputs."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from api.types.enums import AiProvider, DreamCategory, DreamStatus, TestStatus
from resolvers import dreams as rules

__all__ = [
    "CreateDreamInput",
    "DreamFilterInput",
    "DreamSort",
    "RecordAiTestInput",
    "UpdateDreamInput",
]


@strawberry.enum
class DreamSort(Enum):
    RECENT = "RECENT"
    OLDEST = "OLDEST"
    UPDATED = "UPDATED"


@strawberry.input(description="Every field narrows the list; omitted fields don't.")
class DreamFilterInput:
    mine: bool = strawberry.field(default=False, description="Only your own dreams.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this user's dreams (their public ones, unless yours)."
    )
    category: DreamCategory | None = None
    status: DreamStatus | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")

    def to_rules(self) -> rules.DreamFilter:
        return rules.DreamFilter(
            mine=self.mine,
            owner_id=None if self.owner_id is None else str(self.owner_id),
            category=self.category,
            status=self.status,
            tags=tuple(self.tags or ()),
        )


@strawberry.input
class CreateDreamInput:
    title: str = strawberry.field(description="1-200 characters.")
    original_prompt: str = strawberry.field(description="1-10000 characters.")
    description: str = ""
    category: DreamCategory = DreamCategory.OTHER
    tags: list[str] = strawberry.field(default_factory=list, description="At most 20.")
    is_public: bool = False

    def to_rules(self) -> rules.DreamDraft:
        return rules.DreamDraft(
            title=self.title,
            original_prompt=self.original_prompt,
            description=self.description,
            category=self.category,
            tags=list(self.tags),
            is_public=self.is_public,
        )


@strawberry.input(description="Omitted (or null) fields keep their value.")
class UpdateDreamInput:
    title: str | None = None
    description: str | None = None
    original_prompt: str | None = None
    category: DreamCategory | None = None
    tags: list[str] | None = None
    is_public: bool | None = None
    status: DreamStatus | None = None

    def to_rules(self) -> rules.DreamChanges:
        return rules.DreamChanges(
            title=self.title,
            description=self.description,
            original_prompt=self.original_prompt,
            category=self.category,
            tags=self.tags,
            is_public=self.is_public,
            status=self.status,
        )


@strawberry.input
class RecordAiTestInput:
    dream_id: strawberry.ID
    provider: AiProvider
    model: str
    impossibility_score: float = strawberry.field(description="0-100; lower is better.")
    confidence: float = strawberry.field(description="0-100.")
    reasoning: str = ""
    duration_ms: int = 0
    tokens_used: int = 0
    cost: Decimal = Decimal(0)
    status: TestStatus = TestStatus.COMPLETED

    def to_rules(self) -> rules.AiTestDraft:
        return rules.AiTestDraft(
            provider=self.provider,
            model=self.model,
            impossibility_score=self.impossibility_score,
            confidence=self.confidence,
            reasoning=self.reasoning,
            duration_ms=self.duration_ms,
            tokens_used=self.tokens_used,
            cost=self.cost,
            status=self.status,
        )
