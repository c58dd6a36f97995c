"""Errors the HTTP layer answers itself, before or around GraphQL, as GraphQL-shaped JSON.

Every one carries an `extensions.code` and is the client's to fix (4xx), except
`ServiceUnavailableError` (503: try again after `Retry-After`). Errors raised inside resolvers
are `resolvers.errors.UserError`s (shown as they are) or anything else (masked: see
`api/extensions/masking.py`). `GraphQLErrors` carries the errors of a document or of its
variables, answered with status 200 as GraphQL over HTTP does for `application/json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from graphql import GraphQLError
from starlette.responses import Response

from orm.runtime.types import JsonValue

__all__ = [
    "ApiError",
    "BadRequestError",
    "DatabaseBusyError",
    "ForbiddenError",
    "GraphQLErrors",
    "GraphiQLDisabledError",
    "InvalidTokenError",
    "MethodNotAllowedError",
    "OperationNameRequiredError",
    "OperationNotFoundError",
    "PayloadTooLargeError",
    "PersistedQueryHashMismatchError",
    "PersistedQueryNotFoundError",
    "PersistedQueryNotSupportedError",
    "ServiceUnavailableError",
    "UnsupportedMediaTypeError",
    "UntrustedDocumentError",
    "error_response",
]


class ApiError(Exception):
    status_code = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.headers: dict[str, str] = {}

    def errors(self) -> list[JsonValue]:
        return [{"message": self.message, "extensions": {"code": self.code}}]


class BadRequestError(ApiError):
    """The request isn't a GraphQL request we can read."""


class GraphQLErrors(ApiError):
    """The document can't run (syntax, validation, a limit) or its variables don't coerce."""

    status_code = 200

    def __init__(self, errors: Sequence[GraphQLError]) -> None:
        super().__init__(errors[0].message if errors else "The document can't run.")
        self.graphql_errors = tuple(errors)

    def errors(self) -> list[JsonValue]:
        return [error.formatted for error in self.graphql_errors]  # pyright: ignore[reportReturnType]


class OperationNameRequiredError(ApiError):
    code = "OPERATION_NAME_REQUIRED"

    def __init__(self, names: Sequence[str]) -> None:
        listed = ", ".join(names) if names else "none"
        super().__init__(
            f"The document has {len(names)} operations ({listed}): send the one to run as "
            '"operationName".'
        )


class OperationNotFoundError(ApiError):
    code = "OPERATION_NOT_FOUND"

    def __init__(self, name: str, names: Sequence[str]) -> None:
        super().__init__(
            f"The document has no operation named {name!r}: send one of its operation names "
            f'({", ".join(names) or "it has none"}) as "operationName", or none when it has a '
            "single operation."
        )


class GraphiQLDisabledError(ApiError):
    status_code = 404
    code = "NOT_FOUND"

    def __init__(self) -> None:
        super().__init__(
            "GraphiQL is disabled on this server (GRAPHIQL=false, the default in production). "
            "Send GraphQL requests with POST, or GET with a `query` parameter."
        )


class MethodNotAllowedError(ApiError):
    status_code = 405
    code = "METHOD_NOT_ALLOWED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.headers["Allow"] = "POST"


class UnsupportedMediaTypeError(ApiError):
    status_code = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


class PersistedQueryNotSupportedError(ApiError):
    """The message is the protocol's: Apollo Client and urql match it and stop sending hashes."""

    code = "PERSISTED_QUERY_NOT_SUPPORTED"

    def __init__(self) -> None:
        super().__init__("PersistedQueryNotSupported")


class PersistedQueryNotFoundError(ApiError):
    """A hash nobody registered: the client resends it with the document's text. Status 200 and
    the exact message, as Apollo Client and urql expect; no cache may keep the answer."""

    status_code = 200
    code = "PERSISTED_QUERY_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("PersistedQueryNotFound")
        self.headers["Cache-Control"] = "no-store"


class PersistedQueryHashMismatchError(ApiError):
    code = "PERSISTED_QUERY_HASH_MISMATCH"

    def __init__(self, sent: str, actual: str) -> None:
        super().__init__(
            f'"extensions.persistedQuery.sha256Hash" is {sent}, but the sha256 of "query" is '
            f"{actual}: hash the exact text you send (UTF-8, as sent)."
        )


class UntrustedDocumentError(ApiError):
    status_code = 403
    code = "UNTRUSTED_DOCUMENT"

    def __init__(self, sha256: str) -> None:
        super().__init__(
            f"Only trusted documents run on this server, and the document with sha256 {sha256} "
            "is not one of them. Add it to the trusted documents (TRUSTED_DOCUMENTS) when you "
            "deploy the client that sends it."
        )


class InvalidTokenError(ApiError):
    status_code = 401
    code = "UNAUTHENTICATED"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"{reason} Send `Authorization: Bearer <your API token>` with a current token, "
            "or no Authorization header to continue anonymously."
        )
        self.headers["WWW-Authenticate"] = 'Bearer realm="api"'


class ForbiddenError(ApiError):
    status_code = 403
    code = "FORBIDDEN"


class ServiceUnavailableError(ApiError):
    status_code = 503
    code = "SERVICE_UNAVAILABLE"


class DatabaseBusyError(ServiceUnavailableError):
    """Every pooled database connection stayed busy for the request's whole queue wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "The server is too busy to answer now: every database connection is in use. "
            f"Try again in {retry_after} s."
        )
        self.headers["Retry-After"] = str(retry_after)


class PayloadTooLargeError(ApiError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The request body is larger than {limit} bytes. Send a smaller document, or move "
            "large values into variables of a smaller request."
        )


def error_response(error: ApiError) -> Response:
    """ASCII-escaped JSON: a message may quote a client's value, lone surrogates included."""
    body = json.dumps({"data": None, "errors": error.errors()}, separators=(",", ":"))
    return Response(
        body.encode(),
        status_code=error.status_code,
        headers=error.headers or None,
        media_type="application/json",
    )
