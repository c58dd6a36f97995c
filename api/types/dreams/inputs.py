"""Arguments of the dreams domain: filters, sorts, mutation inputs."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from api.types.enums import AiProvider, DreamCategory, DreamStatus, TestStatus, described_enum
from api.types.idempotency import KEY_DESCRIPTION
from api.types.scalars import Money
from resolvers import dreams as rules

__all__ = [
    "CreateDreamInput",
    "DreamFilterInput",
    "DreamSort",
    "RecordAiTestInput",
    "UpdateDreamInput",
]


class DreamSort(Enum):
    RECENT = "RECENT"
    OLDEST = "OLDEST"
    UPDATED = "UPDATED"


described_enum(
    DreamSort,
    "The order of a list of dreams.",
    {
        "RECENT": "Newest first.",
        "OLDEST": "Oldest first.",
        "UPDATED": "Most recently changed first.",
    },
)


@strawberry.input(description="Every field narrows the list; omitted fields don't.")
class DreamFilterInput:
    mine: bool = strawberry.field(default=False, description="Only your own dreams.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this user's dreams (their public ones, unless yours)."
    )
    category: DreamCategory | None = strawberry.field(
        default=None, description="Only dreams of this category."
    )
    status: DreamStatus | None = strawberry.field(
        default=None, description="Only dreams with this status."
    )
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")

    def to_rules(self) -> rules.DreamFilter:
        return rules.DreamFilter(
            mine=self.mine,
            owner_id=None if self.owner_id is None else str(self.owner_id),
            category=self.category,
            status=self.status,
            tags=tuple(self.tags or ()),
        )


@strawberry.input(description="A new dream; it is yours and, unless `isPublic`, private.")
class CreateDreamInput:
    title: str = strawberry.field(description="1-200 characters.")
    original_prompt: str = strawberry.field(
        description="What tests ask the models, 1-10000 characters."
    )
    description: str = strawberry.field(default="", description="At most 5000 characters.")
    category: DreamCategory = strawberry.field(
        default=DreamCategory.OTHER, description="What kind of goal it is."
    )
    tags: list[str] = strawberry.field(
        default_factory=list, description="At most 20, each at most 50 characters; lower-cased."
    )
    is_public: bool = strawberry.field(default=False, description="Whether everyone may see it.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)

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
    title: str | None = strawberry.field(default=None, description="1-200 characters.")
    description: str | None = strawberry.field(default=None, description="At most 5000 characters.")
    original_prompt: str | None = strawberry.field(default=None, description="1-10000 characters.")
    category: DreamCategory | None = strawberry.field(default=None, description="A new category.")
    tags: list[str] | None = strawberry.field(
        default=None, description="Replaces every tag (at most 20)."
    )
    is_public: bool | None = strawberry.field(
        default=None, description="Making a public dream private ends others' subscriptions."
    )
    status: DreamStatus | None = strawberry.field(
        default=None, description="ARCHIVED stops new tests; ACTIVE restores them."
    )

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


@strawberry.input(description="One run of one of your dreams against a model.")
class RecordAiTestInput:
    dream_id: strawberry.ID = strawberry.field(description="Your dream that was tested.")
    provider: AiProvider = strawberry.field(description="Who made the model.")
    model: str = strawberry.field(description="The model's name, at most 100 characters.")
    impossibility_score: float = strawberry.field(description="0-100; lower is better.")
    confidence: float = strawberry.field(description="0-100.")
    reasoning: str = strawberry.field(
        default="", description="The model's explanation, at most 20000 characters."
    )
    duration_ms: int = strawberry.field(default=0, description="Milliseconds the run took.")
    tokens_used: int = strawberry.field(default=0, description="Tokens the run used.")
    cost: Money = strawberry.field(
        default=Money(Decimal(0)), description="What the run cost, 0-9999 dollars."
    )
    status: TestStatus = strawberry.field(
        default=TestStatus.COMPLETED,
        description="Only COMPLETED tests change the progress; others are kept as a record.",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)

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
