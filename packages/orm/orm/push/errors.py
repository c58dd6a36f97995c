"""Why a push stopped. Messages say what went wrong and what to do about it."""

from __future__ import annotations

__all__ = ["DataLossError", "PushError", "SqlFileError"]


class PushError(Exception):
    """`db push` could not run; nothing was changed unless the message says otherwise."""


class DataLossError(PushError):
    """The push would lose data and `--accept-data-loss` was not given (or cannot help)."""


class SqlFileError(PushError):
    """A file from the SQL folder failed; its transaction was rolled back."""
