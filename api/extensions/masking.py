"""Which errors a client sees as they are, and which become "Unexpected error."

Shown: GraphQL's own errors about the request (syntax, validation, limits: no original
exception) and `resolvers.errors.UserError`s, written for the person who hit them. Everything
else (SQL errors, bugs, timeouts) is logged with its traceback here and masked for the client,
so no SQL text or stack trace leaves the server.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import UserError

__all__ = ["MASKED_MESSAGE", "masked_errors", "should_mask"]

MASKED_MESSAGE = "Unexpected error. It has been logged; try again, or report it if it persists."

logger = logging.getLogger("api.errors")


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, UserError):
        return False
    logger.error(
        "masked error at %s: %r",
        ".".join(str(p) for p in error.path or ()),
        original,
        exc_info=(type(original), original, original.__traceback__),
    )
    return True


def masked_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE)
