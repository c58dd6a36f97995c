"""asyncpg errors → `orm.runtime.errors`, with messages that name the model and field(s).

PostgreSQL reports tables, columns and constraints; `Names` turns them back into the schema's
model and field names. Row values in PostgreSQL's `detail` ("Key (email)=(ann@x.io) ...") are
never copied into messages: they may be personal data and messages end up in logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from orm.runtime import errors
from orm.runtime.engine.names import ColumnNames, Names

__all__ = ["lost_connection", "translate"]

_KEY_COLUMNS = re.compile(r"Key \((?P<columns>.+?)\)=")
_TIMEOUT = "statement timeout"
_ARGUMENT_VALUE = re.compile(r"(query argument \$\d+): .*? \(", re.DOTALL)
"""asyncpg's "invalid input for query argument $1: 'the value' (why)": the value is dropped."""


@dataclass(frozen=True, slots=True)
class _Pg:
    """asyncpg sets these attributes dynamically; this is their typed view."""

    sqlstate: str | None
    message: str
    detail: str | None
    table: str | None
    column: str | None
    constraint: str | None

    @classmethod
    def of(cls, exc: asyncpg.PostgresError) -> _Pg:
        def text(name: str) -> str | None:
            value: object = getattr(exc, name, None)
            return value if isinstance(value, str) else None

        return cls(
            sqlstate=text("sqlstate"),
            message=text("message") or str(exc),
            detail=text("detail"),
            table=text("table_name"),
            column=text("column_name"),
            constraint=text("constraint_name"),
        )


def _columns(detail: str | None) -> tuple[str, ...]:
    match = _KEY_COLUMNS.search(detail or "")
    if match is None:
        return ()
    return tuple(part.strip().strip('"') for part in match.group("columns").split(","))


def _label(model: str | None, fields: tuple[str, ...]) -> str:
    names = ", ".join(fields) if fields else "?"
    if len(fields) > 1:
        names = f"({names})"
    return f"{model}.{names}" if model else names


def _unique(exc: _Pg, model: str | None, names: Names) -> errors.DataError:
    model = names.model(exc.table) or model
    fields = tuple(names.field(model, c) for c in _columns(exc.detail))
    return errors.UniqueViolationError(
        f"Unique constraint failed on {_label(model, fields)} "
        f"(constraint `{exc.constraint}`): a record with "
        f"{'these values' if len(fields) > 1 else 'this value'} already exists. "
        "Use another value, or update the existing record (e.g. with `upsert`).",
        model=model,
        fields=fields,
        sqlstate=exc.sqlstate,
    )


def _foreign_key(exc: _Pg, model: str | None, names: Names) -> errors.DataError:
    table_model = names.model(exc.table) or model
    fields = tuple(names.field(table_model, c) for c in _columns(exc.detail))
    detail = exc.detail or ""
    if "still referenced" in detail:
        referencing = re.search(r'from table "(?P<table>[^"]+)"', detail)
        other = names.model(referencing.group("table")) if referencing else None
        message = (
            f"Foreign key constraint failed on the field: `{exc.constraint}` "
            f"({_label(table_model, fields)}): {other or 'another table'} still has records "
            "pointing at this one. Delete or re-point those first, or declare "
            "`onDelete: Cascade` / `SetNull` on the relation."
        )
    else:
        message = (
            f"Foreign key constraint failed on the field: `{exc.constraint}` "
            f"({_label(table_model, fields)}): the related record does not exist. "
            "Connect an existing record or create it first."
        )
    return errors.ForeignKeyViolationError(
        message, model=table_model, fields=fields, sqlstate=exc.sqlstate
    )


def _not_null(exc: _Pg, model: str | None, names: Names) -> errors.DataError:
    model = names.model(exc.table) or model
    column = exc.column or "?"
    field = names.field(model, column)
    return errors.MissingRequiredValueError(
        f"{_label(model, (field,))} is required but no value was given (PostgreSQL got NULL). "
        "Pass a value for it or give the field a default in the schema.",
        model=model,
        field=field,
        sqlstate=exc.sqlstate,
    )


def _check(exc: _Pg, model: str | None, names: Names) -> errors.DataError:
    model = names.model(exc.table) or model
    return errors.DataError(
        f"A value for {model or 'the record'} breaks the CHECK constraint "
        f"`{exc.constraint}` (a range or allowed-values rule in sql/). "
        "Pass a value it allows.",
        model=model,
        sqlstate=exc.sqlstate,
    )


def _undefined_table(exc: _Pg, model: str | None) -> errors.DataError:
    return errors.TableNotFoundError(
        f"{exc.message} (model {model or '?'}): the database schema is behind the Prisma schema. "
        "Run `python -m orm db push` against this database, and check `schema=` in the URL.",
        model=model,
        sqlstate=exc.sqlstate,
    )


def _canceled(exc: _Pg, model: str | None) -> errors.DataError:
    if _TIMEOUT in exc.message:
        message = (
            f"PostgreSQL cancelled the statement{f' on {model}' if model else ''}: it ran longer "
            "than statement_timeout. Narrow the query (filters, `take`, an index), or raise "
            "`statement_timeout` (URL parameter in ms, or the client argument)."
        )
    else:
        message = f"PostgreSQL cancelled the statement: {exc.message}"
    return errors.DataError(message, model=model, sqlstate=exc.sqlstate)


def _conflict(exc: _Pg, model: str | None) -> errors.PrismaError:
    return errors.TransactionConflictError(
        f"The transaction failed on a write conflict or a deadlock ({exc.message}). "
        "Run the whole transaction again."
    )


def _aborted(exc: _Pg, model: str | None) -> errors.PrismaError:
    return errors.TransactionError(
        "An earlier statement in this transaction failed, so PostgreSQL ignores every statement "
        "until the transaction ends. Let the first error propagate out of `tx()` (which rolls "
        "back), or wrap statements that may fail in a nested `tx()` (a savepoint)."
    )


def _data(exc: _Pg, model: str | None) -> errors.DataError:
    column = exc.column
    where = f" for {model}" if model else ""
    reason = _ARGUMENT_VALUE.sub(r"\1 (", exc.message)
    return errors.DataError(
        f"PostgreSQL rejected a value{where}: {reason}."
        + (f" Column: {column}." if column else "")
        + " Check the value's type and range against the schema.",
        model=model,
        sqlstate=exc.sqlstate,
    )


_BY_CLASS: dict[type[asyncpg.PostgresError], Callable[[_Pg, str | None], errors.PrismaError]] = {
    asyncpg.UndefinedTableError: _undefined_table,
    asyncpg.QueryCanceledError: _canceled,
    asyncpg.SerializationError: _conflict,
    asyncpg.DeadlockDetectedError: _conflict,
    asyncpg.InFailedSQLTransactionError: _aborted,
}


def translate(
    exc: asyncpg.PostgresError, model: str | None, names: Names | None = None
) -> errors.PrismaError:
    """The runtime error for `exc`; `model` is the model the statement was about, if known."""
    names = names or ColumnNames()
    pg = _Pg.of(exc)
    if isinstance(exc, asyncpg.UniqueViolationError):
        return _unique(pg, model, names)
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return _foreign_key(pg, model, names)
    if isinstance(exc, asyncpg.NotNullViolationError):
        return _not_null(pg, model, names)
    if isinstance(exc, asyncpg.CheckViolationError):
        return _check(pg, model, names)
    handler = _BY_CLASS.get(type(exc))
    if handler is not None:
        return handler(pg, model)
    if isinstance(exc, asyncpg.PostgresConnectionError | asyncpg.OperatorInterventionError):
        return lost_connection(pg.message)  # class 08, 57P01-57P03: cut, terminated, restarting
    return _data(pg, model)


def lost_connection(reason: str) -> errors.DatabaseUnavailableError:
    """A statement whose connection was terminated or cut: nothing to fix in the query."""
    return errors.DatabaseUnavailableError(
        f"The connection to PostgreSQL was lost during the statement ({reason}). The database "
        "may be restarting or the session was terminated; a transaction that was open was "
        "rolled back. Try again."
    )
