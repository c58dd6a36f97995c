"""Which errors a client sees as they are, and which become "Unexpected error."

Shown: GraphQL's own errors about the request (syntax, validation, limits: no original
exception) and `resolvers.errors.UserError`s, written for the person who hit them. Everything
else (SQL errors, bugs, timeouts) is masked for the client, so no SQL text or stack trace leaves
the server; Strawberry's `strawberry.execution` logger has already logged it with its traceback.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import UserError

__all__ = ["MASKED_MESSAGE", "masked_errors", "should_mask"]

MASKED_MESSAGE = "Unexpected error. It has been logged; try again, or report it if it persists."


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, UserError)


def masked_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE)
