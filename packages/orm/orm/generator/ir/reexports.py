"""Names the generated `errors.py` and `fields.py` re-export from `orm.runtime`.

Spelled out (never `import *`): pyright strict refuses wildcard imports from an installed
library, so a user's generated client must name each symbol. `tests/generator/test_ir.py`
checks these tuples against the runtime modules' `__all__`.
"""

from __future__ import annotations

__all__ = ["RUNTIME_ERRORS", "RUNTIME_FIELDS"]

RUNTIME_ERRORS = (
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
)

RUNTIME_FIELDS = ("Base64", "Json")
