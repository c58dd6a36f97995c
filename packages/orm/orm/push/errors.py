"""Why a push stopped. Messages say what went wrong and what to do about it."""

from __future__ import annotations

__all__ = ["DataLossError", "LockWaitError", "ProductionDatabaseError", "PushError", "SqlFileError"]


class PushError(Exception):
    """`db push` could not run; nothing was changed unless the message says otherwise."""


class DataLossError(PushError):
    """The push would lose data and `--accept-data-loss` was not given (or cannot help)."""


class LockWaitError(PushError):
    """A lock stayed out of reach through every retry; the message names who holds it."""


class ProductionDatabaseError(PushError):
    """`--force-reset` on a schema marked as production without `--i-know-this-is-production`."""


class SqlFileError(PushError):
    """A file from the SQL folder failed; its transaction was rolled back."""
