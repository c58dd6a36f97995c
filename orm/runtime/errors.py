"""The error tree of the runtime, re-exported by every generated client as `<package>.errors`.

Names match prisma-client-py's `prisma.errors` so code written for it catches the same classes.
Messages say what went wrong and what to do, naming the model and field involved.
"""

from __future__ import annotations

__all__ = [
    "ClientAlreadyRegisteredError",
    "ClientNotConnectedError",
    "ClientNotRegisteredError",
    "DataError",
    "DatabaseUnavailableError",
    "FieldNotFoundError",
    "ForeignKeyViolationError",
    "InputError",
    "MissingRequiredValueError",
    "PoolTimeoutError",
    "PrismaError",
    "RawQueryError",
    "RecordNotFoundError",
    "TableNotFoundError",
    "TransactionConflictError",
    "TransactionError",
    "TransactionExpiredError",
    "TransactionNotStartedError",
    "UniqueViolationError",
]


class PrismaError(Exception):
    """Base of every error the client raises."""


class ClientNotConnectedError(PrismaError):
    def __init__(self) -> None:
        super().__init__("The client is not connected: call `await db.connect()` first.")


class ClientAlreadyRegisteredError(PrismaError):
    def __init__(self) -> None:
        super().__init__(
            "A client is already registered; `register()` takes one client per process."
        )


class ClientNotRegisteredError(PrismaError):
    def __init__(self) -> None:
        super().__init__(
            "No client is registered: call `register(Prisma())` or pass `auto_register=True` "
            "before using `Model.prisma()`."
        )


class DataError(PrismaError):
    """The database refused a value, or the input could not be turned into SQL."""

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        field: str | None = None,
        fields: tuple[str, ...] = (),
        sqlstate: str | None = None,
    ) -> None:
        super().__init__(message)
        self.model = model
        self.field = field if field is not None else (fields[0] if fields else None)
        self.fields = fields if fields else ((field,) if field else ())
        self.sqlstate = sqlstate
        """PostgreSQL's SQLSTATE code when the database raised it (e.g. "23505")."""


class InputError(DataError):
    """Bad input caught before any SQL ran."""


class FieldNotFoundError(InputError):
    def __init__(self, model: str, field: str, where: str = "") -> None:
        at = f" in {where}" if where else ""
        super().__init__(f"{model} has no field `{field}`{at}.", model=model, field=field)


class MissingRequiredValueError(DataError):
    pass


class UniqueViolationError(DataError):
    pass


class ForeignKeyViolationError(DataError):
    pass


class RecordNotFoundError(DataError):
    pass


class TableNotFoundError(DataError):
    pass


class RawQueryError(DataError):
    pass


class TransactionError(PrismaError):
    pass


class TransactionExpiredError(TransactionError):
    pass


class TransactionNotStartedError(TransactionError):
    pass


class TransactionConflictError(TransactionError):
    """A serialization failure or deadlock (SQLSTATE 40001 / 40P01): retry the transaction."""


class PoolTimeoutError(PrismaError):
    """No pooled connection became free within `pool_timeout`."""


class DatabaseUnavailableError(PrismaError):
    """The database could not be reached (refused, unknown host, timed out, bad credentials)."""
