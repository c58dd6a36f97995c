"""The error tree of the runtime, re-exported by every generated client as `<package>.errors`.

Names match prisma-client-py's `prisma.errors` so code written for it catches the same classes.
Messages say what went wrong and what to do, naming the model and field involved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

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
    "UnknownRelationalFieldError",
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
    """The database refused a value, or the input could not be turned into SQL.

    As in prisma-client-py, `code` is the Prisma error code ("P2002" for a unique violation),
    `meta` its details (`{"target": ["email"]}`), and `data` the error as the Prisma engine
    reports it: `{"user_facing_error": {"error_code": ..., "message": ..., "meta": ...}}`.
    """

    prisma_code: ClassVar[str | None] = None
    """The Prisma error code this class stands for (prisma-client-py maps codes to classes)."""
    summary: ClassVar[str] = ""
    """The engine's sentence for this error, put before the message when a class has one."""

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        field: str | None = None,
        fields: tuple[str, ...] = (),
        sqlstate: str | None = None,
        meta: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{self.summary} {message}" if self.summary else message)
        self.model = model
        self.field = field if field is not None else (fields[0] if fields else None)
        self.fields = fields if fields else ((field,) if field else ())
        self.sqlstate = sqlstate
        """PostgreSQL's SQLSTATE code when the database raised it (e.g. "23505")."""
        self.code: str | None = self.prisma_code
        self.meta: dict[str, object] = dict(meta) if meta is not None else self._meta(message)
        self.data: dict[str, object] = {
            "user_facing_error": {"error_code": self.code, "message": str(self), "meta": self.meta}
        }

    def _meta(self, message: str) -> dict[str, object]:
        meta: dict[str, object] = {}
        if self.model is not None:
            meta["modelName"] = self.model
        if self.fields:
            meta["field_name"] = ", ".join(self.fields)
        return meta


class InputError(DataError):
    """Bad input caught before any SQL ran."""

    prisma_code = "P2009"


class FieldNotFoundError(InputError):
    """An unknown field, or an unknown key in a field's filter (`message` then says which)."""

    def __init__(
        self,
        model: str,
        field: str,
        where: str = "",
        *,
        message: str | None = None,
        path: str | None = None,
    ) -> None:
        at = f" in {where}" if where else ""
        # prisma-client-py's engine names the argument path (`data.foo`, `where.bad_field`)
        if path is None:
            path = ".".join(filter(None, (where.split()[-1] if where else "", field)))
        self.path = path
        self.where = where
        self.custom = message is not None
        text = (
            message
            if message is not None
            else f"Could not find field at `{path}`: {model} has no field `{field}`{at}."
        )
        super().__init__(text, model=model, field=field)

    def under(self, step: str) -> FieldNotFoundError:
        """The error as seen from the filter that holds it: `where.foo` found inside
        `{"author": {"is": ...}}` is `where.author.is.foo`, as the engine reports it."""
        if self.custom:
            return self
        head, _, rest = self.path.partition(".")
        path = f"{head}.{step}.{rest}" if rest else f"{step}.{head}"
        return FieldNotFoundError(self.model or "", self.field or "", self.where, path=path)


class UnknownRelationalFieldError(InputError):
    """`include` (or a partial type's `relations`) names a field that is not a relation of the
    model or partial type queried."""

    def __init__(self, model: str, field: str) -> None:
        super().__init__(
            f'Field: "{field}" either does not exist or is not a relational field on the '
            f"{model} model",
            model=model,
            field=field,
        )


class MissingRequiredValueError(DataError):
    prisma_code = "P2012"

    def _meta(self, message: str) -> dict[str, object]:
        return {"path": ".".join(filter(None, (self.model, self.field)))}


class UniqueViolationError(DataError):
    prisma_code = "P2002"

    def _meta(self, message: str) -> dict[str, object]:
        return {"target": list(self.fields), "modelName": self.model}


class ForeignKeyViolationError(DataError):
    prisma_code = "P2003"

    def _meta(self, message: str) -> dict[str, object]:
        return {"field_name": ", ".join(self.fields), "modelName": self.model}


class RecordNotFoundError(DataError):
    """A record an operation needed was not there. The message opens with the engine's P2025
    sentence (prisma-client-py users match on it); `meta["cause"]` is the specific reason."""

    prisma_code = "P2025"
    summary = (
        "An operation failed because it depends on one or more records that were required but "
        "not found."
    )

    def _meta(self, message: str) -> dict[str, object]:
        return {"cause": message, "modelName": self.model}


class TableNotFoundError(DataError):
    prisma_code = "P2021"

    def _meta(self, message: str) -> dict[str, object]:
        return {"table": self.model}


class RawQueryError(DataError):
    prisma_code = "P2010"

    def _meta(self, message: str) -> dict[str, object]:
        return {"code": self.sqlstate, "message": message}


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
    """The database could not be reached (refused, unknown host, timed out, bad credentials),
    or the connection was lost during a statement (terminated, restarting)."""
