"""Errors the HTTP layer answers itself, before or around GraphQL, as GraphQL-shaped JSON.

Errors raised inside resolvers are `resolvers.errors.UserError`s (shown as they are) or
anything else (masked: see `api/extensions/masking.py`).
"""

from __future__ import annotations

from starlette.responses import JSONResponse

__all__ = [
    "ApiError",
    "BadRequestError",
    "ForbiddenError",
    "InvalidTokenError",
    "PayloadTooLargeError",
    "ServiceUnavailableError",
    "error_response",
]


class ApiError(Exception):
    status_code = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestError(ApiError):
    """The request isn't a GraphQL request we can read."""


class InvalidTokenError(ApiError):
    status_code = 401
    code = "UNAUTHENTICATED"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"{reason} Send `Authorization: Bearer <your API token>` with a current token, "
            "or no Authorization header to continue anonymously."
        )


class ForbiddenError(ApiError):
    status_code = 403
    code = "FORBIDDEN"


class ServiceUnavailableError(ApiError):
    status_code = 503
    code = "SERVICE_UNAVAILABLE"


class PayloadTooLargeError(ApiError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The request body is larger than {limit} bytes. Send a smaller document, or move "
            "large values into variables of a smaller request."
        )


def error_response(error: ApiError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if error.status_code == 401 else None
    return JSONResponse(
        {"data": None, "errors": [{"message": error.message, "extensions": {"code": error.code}}]},
        status_code=error.status_code,
        headers=headers,
    )
