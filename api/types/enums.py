"""The generated client's enums, registered as GraphQL enums under the same names.

Import them from here (not `prisma.enums`) in type modules, so registration has happened."""

from __future__ import annotations

import strawberry

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
]

for _enum in (
    AiProvider,
    CollaboratorRole,
    DreamCategory,
    DreamStatus,
    MessageRole,
    Plan,
    TestStatus,
    UserRole,
    Visibility,
):
    strawberry.enum(_enum)
