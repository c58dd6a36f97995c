"""The generated client's enums, registered as GraphQL enums under the same names, each value
described.

Import them from here (not `prisma.enums`) in type modules, so registration has happened.
`described_enum` registers any Python enum with a description per value; it refuses an enum
with a value left undescribed, so a value added to `schema.prisma` gets documented here.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar, cast

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from prisma.enums import (
    AiProvider,
    CollaboratorRole,
    DreamCategory,
    DreamStatus,
    MessageRole,
    Plan,
    TestStatus,
    UserRole,
    Visibility,
)

__all__ = [
    "AiProvider",
    "CollaboratorRole",
    "DreamCategory",
    "DreamStatus",
    "MessageRole",
    "Plan",
    "TestStatus",
    "UserRole",
    "Visibility",
    "described_enum",
]

E = TypeVar("E", bound=Enum)


def described_enum(
    cls: type[E], description: str, values: Mapping[str, str], *, name: str | None = None
) -> type[E]:
    """Register `cls` as a GraphQL enum with `description` and one description per value
    (keyed by member name)."""
    missing = [member.name for member in cls if member.name not in values]
    if missing:
        raise ValueError(f"{cls.__name__}: describe {', '.join(missing)} in api/types/enums.py")
    strawberry.enum(cls, name=name, description=description)
    definition = cast(
        "StrawberryEnumDefinition",
        cls.__strawberry_definition__,  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    )
    for value in definition.values:
        member = next(m for m in cls if m.value == value.value)
        value.description = values[member.name]
    return cls


described_enum(
    AiProvider,
    "The company behind an AI model.",
    {
        "OPENAI": "OpenAI (GPT, o-series).",
        "ANTHROPIC": "Anthropic (Claude).",
        "GOOGLE": "Google (Gemini).",
        "META": "Meta (Llama).",
        "MISTRAL": "Mistral AI.",
        "XAI": "xAI (Grok).",
        "DEEPSEEK": "DeepSeek.",
    },
)
described_enum(
    CollaboratorRole,
    "What a collaborator may do with a project (its owner may do everything).",
    {
        "VIEWER": "Read the project, even when it is private.",
        "EDITOR": "Also edit it, add files and post messages.",
        "ADMIN": "Also change its visibility and manage collaborators below ADMIN.",
    },
)
described_enum(
    DreamCategory,
    "What kind of goal a dream is.",
    {
        "CREATIVE": "Writing, music, art and design.",
        "SCIENCE": "Research, proofs and experiments.",
        "TECHNOLOGY": "Code, security and systems.",
        "BUSINESS": "Strategy, finance and operations.",
        "HEALTH": "Medicine, fitness and nutrition.",
        "EDUCATION": "Teaching and learning.",
        "ENTERTAINMENT": "Comedy, film, games and podcasts.",
        "PERSONAL": "Travel, family and habits.",
        "OTHER": "Anything else.",
    },
)
described_enum(
    DreamStatus,
    "Where a dream stands.",
    {
        "ACTIVE": "Still being tested; shown on the dashboard.",
        "ACHIEVED": "An AI can do it now.",
        "ARCHIVED": "Put away: no new tests until it is made ACTIVE again.",
    },
)
described_enum(
    MessageRole,
    "Who wrote a project chat message.",
    {
        "USER": "A person (its author is set).",
        "ASSISTANT": "The AI assistant.",
        "SYSTEM": "The system prompt or a notice.",
    },
)
described_enum(
    Plan,
    "A user's subscription plan.",
    {"FREE": "The free plan.", "PRO": "For one heavy user.", "TEAM": "For teams."},
)
described_enum(
    TestStatus,
    "Where an AI test stands.",
    {
        "PENDING": "Sent to the model, no answer yet; its score means nothing yet.",
        "COMPLETED": "Answered: its score counts in averages, progress and charts.",
        "FAILED": "The run failed (timeout, rate limit, unreadable answer); it counts nowhere.",
    },
)
described_enum(
    UserRole,
    "A user's role on the platform.",
    {"USER": "A regular user.", "ADMIN": "An administrator: budget alerts, featuring projects."},
)
described_enum(
    Visibility,
    "Who may see a project.",
    {
        "PRIVATE": "Its owner and collaborators only.",
        "UNLISTED": "Anyone with its id, but not listed in discovery.",
        "PUBLIC": "Everyone; listed in discovery.",
    },
)
