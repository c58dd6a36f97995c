"""Which errors a client sees as they are, which become "Unexpected error.", and which are logged.

Shown: GraphQL's own errors about the request (syntax, validation, limits: no original
exception) and `resolvers.errors.UserError`s, written for the person who hit them. Everything
else (SQL errors, bugs, timeouts) is masked for the client, so no SQL text or stack trace leaves
the server; Strawberry's `strawberry.execution` logger has already logged it with its traceback.
A masked error's code is `INTERNAL_SERVER_ERROR`, or `SERVICE_UNAVAILABLE` when a statement
waited out the pool or lost its connection (a terminated backend, a restarting database): the
endpoint answers that request 503 with `Retry-After`.

Strawberry logs *every* error of a result that way, client mistakes included, so
`ServerFaultsOnly` (installed on that logger by `install_log_filter`) keeps the server's log for
the server's faults: a `UserError` or an error without an original exception is dropped, and a
pool timeout or a lost connection (answered 503) is one WARNING line without a traceback.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from orm.runtime.errors import DatabaseUnavailableError, PoolTimeoutError
from resolvers.errors import UserError

__all__ = [
    "BUSY",
    "INTERNAL",
    "MASKED_MESSAGE",
    "MaskServerErrors",
    "ServerFaultsOnly",
    "install_log_filter",
    "masked_errors",
    "should_mask",
]

# The database can't answer now; the request may succeed when sent again.
TRANSIENT = (PoolTimeoutError, DatabaseUnavailableError)

MASKED_MESSAGE = "Unexpected error. It has been logged; try again, or report it if it persists."
INTERNAL = "INTERNAL_SERVER_ERROR"
BUSY = "SERVICE_UNAVAILABLE"


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, UserError)


class MaskServerErrors(MaskErrors):
    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        busy = isinstance(error.original_error, TRANSIENT)
        masked.extensions = {"code": BUSY if busy else INTERNAL}
        return masked


def masked_errors() -> MaskErrors:
    return MaskServerErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE)


class ServerFaultsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.msg
        if not isinstance(error, GraphQLError):
            return True
        original = error.original_error
        if original is None or isinstance(original, UserError):
            return False
        if isinstance(original, TRANSIENT):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = None
        return True


_FILTER = ServerFaultsOnly()


def install_log_filter() -> None:
    """Idempotent: the one filter is added once."""
    logging.getLogger("strawberry.execution").addFilter(_FILTER)
