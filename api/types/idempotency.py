"""Where a create mutation's idempotency key comes from: the input's `idempotencyKey`, or the
request's `Idempotency-Key` header (the convention of payment APIs; it suits a request that
carries one create mutation). `resolvers/idempotency.py` does the rest."""

from __future__ import annotations

from api.types.common import Info
from resolvers.errors import ValidationError

__all__ = ["HEADER", "KEY_DESCRIPTION", "idempotency_key"]

HEADER = "idempotency-key"
KEY_DESCRIPTION = (
    "A key of your choosing (a UUID) that makes retries safe: a repeat of this request with "
    "the same key within 24 hours records nothing and answers what the first one recorded; "
    "the same key with other input is refused (IDEMPOTENCY_KEY_REUSED). The "
    "`Idempotency-Key` header does the same."
)


def idempotency_key(info: Info, from_input: str | None) -> str | None:
    header = info.context.request.headers.get(HEADER)
    if from_input is not None and header is not None and header != from_input:
        raise ValidationError(
            "idempotencyKey",
            "differs from the request's Idempotency-Key header: send one of them.",
        )
    return from_input if from_input is not None else header
