"""Errors a person using the API is meant to read.

Every class here derives from `UserError` and carries GraphQL `extensions` (`code`, and `field`
for validation errors): graphql-core copies an original error's `extensions` dict into the
response, and the server's error masking lets `UserError`s through unchanged while it hides
everything else behind a generic message.

Reads never raise `ForbiddenError` for private data: a dream or project the viewer may not see is
reported exactly like one that does not exist (`NotFoundError`, or `null` for a nullable field).
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "ForbiddenError",
    "NotFoundError",
    "UserError",
    "ValidationError",
]


class UserError(Exception):
    """Base of the errors shown to API users as they are; `code` names the kind."""

    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict[str, str]:
        return {"code": self.code}


class ValidationError(UserError):
    """One input field holds a value we can't accept; `field` is its GraphQL path."""

    code = "VALIDATION_ERROR"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field

    @property
    def extensions(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field}


class AuthenticationError(UserError):
    code = "UNAUTHENTICATED"

    def __init__(self, action: str = "do this") -> None:
        super().__init__(
            f"You need to sign in to {action}: send `Authorization: Bearer <your API token>`."
        )


class ForbiddenError(UserError):
    code = "FORBIDDEN"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class NotFoundError(UserError):
    code = "NOT_FOUND"

    def __init__(self, kind: str, id_: str) -> None:
        super().__init__(f"No {kind} with id {id_!r} exists, or it is not visible to you.")
        self.kind = kind
        self.id = id_
