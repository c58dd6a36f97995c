"""Which server faults a client sees as "try again" (503) and which as unexpected."""

from __future__ import annotations

import logging

import pytest
from graphql import GraphQLError

from api.extensions.masking import BUSY, INTERNAL, MASKED_MESSAGE, ServerFaultsOnly, masked_errors
from orm.runtime.errors import DatabaseUnavailableError, DataError, PoolTimeoutError


def _masked(original: Exception) -> GraphQLError:
    error = GraphQLError("select ... from users", original_error=original)
    mask = masked_errors()
    return mask.anonymise_error(error)


@pytest.mark.parametrize(
    ("original", "code"),
    [
        (PoolTimeoutError("no connection freed up"), BUSY),
        (DatabaseUnavailableError("The connection to PostgreSQL was lost"), BUSY),
        (DataError("PostgreSQL rejected a value"), INTERNAL),
        (ZeroDivisionError(), INTERNAL),
    ],
)
def test_transient_database_faults_say_try_again_and_the_rest_are_masked(
    original: Exception, code: str
) -> None:
    masked = _masked(original)
    assert masked.message == MASKED_MESSAGE
    assert masked.extensions == {"code": code}


def test_a_lost_connection_is_one_warning_without_a_traceback() -> None:
    error = GraphQLError("boom", original_error=DatabaseUnavailableError("lost"))
    record = logging.LogRecord("strawberry.execution", logging.ERROR, "", 0, error, None, None)
    record.exc_info = (DatabaseUnavailableError, DatabaseUnavailableError("lost"), None)

    assert ServerFaultsOnly().filter(record)
    assert (record.levelno, record.exc_info) == (logging.WARNING, None)
