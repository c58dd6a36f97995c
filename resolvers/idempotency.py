"""Idempotency keys: a create mutation retried after a lost response records once.

A client sends a key of its choosing with a create mutation (`Idempotency-Key` header, or the
input's `idempotencyKey`). Inside the write's transaction, before writing, `claim` inserts the
key row (`idempotency_keys`, primary key (user, key)); `remember` stores what the write created
in it, and both commit with the write, or neither does. A retry of the same request finds the
row and answers the first result; a concurrent retry's insert waits for the first transaction
on the row's unique index, so it too answers the first result once that commits (or does the
write itself if the first one rolled back). A key reused with other input is refused
(`IDEMPOTENCY_KEY_REUSED`). Keys live 24 hours: an older row is taken over by a new request with
its key, and a user's expired rows are purged when they claim a new one.

State lives in PostgreSQL, so retries sent to another API process are answered the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from prisma import Json
from resolvers.errors import UserError, ValidationError

if TYPE_CHECKING:
    from orm.runtime.types import JsonValue
    from prisma import Prisma

__all__ = ["Claim", "IdempotencyKeyReusedError", "claim", "fingerprint", "remember"]

MAX_KEY_LENGTH = 200
LIFETIME = "24 hours"

# Raw SQL: the ORM's upsert can't make its update conditional (take over only an expired row)
# nor say whether it inserted.
_CLAIM_SQL = f"""
INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ($1, $2, $3, now())
ON CONFLICT (user_id, key) DO UPDATE
  SET fingerprint = excluded.fingerprint, result = NULL, created_at = now()
  WHERE idempotency_keys.created_at < now() - interval '{LIFETIME}'
RETURNING user_id
"""
_READ_SQL = "SELECT fingerprint, result FROM idempotency_keys WHERE user_id = $1 AND key = $2"
_PURGE_SQL = f"""
DELETE FROM idempotency_keys WHERE (user_id, key) IN (
  SELECT user_id, key FROM idempotency_keys
  WHERE user_id = $1 AND created_at < now() - interval '{LIFETIME}'
  LIMIT 100 FOR UPDATE SKIP LOCKED)
"""


class IdempotencyKeyReusedError(UserError):
    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self, key: str, operation: str) -> None:
        super().__init__(
            f"The idempotency key {key!r} was already used for a different {operation} request "
            "in the last 24 hours: send a new key for a new request (a retry must repeat the "
            "first request exactly)."
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """`replay` is the first request's result when this request repeats it, else None (this
    request writes, and must `remember` its result in the same transaction)."""

    replay: dict[str, JsonValue] | None


def fingerprint(operation: str, request: object) -> str:
    """A hash of the mutation's name and its input (a dataclass or anything JSON can show)."""
    fields = getattr(request, "__dataclass_fields__", None)
    shown = {name: getattr(request, name) for name in fields} if fields else request
    text = json.dumps([operation, shown], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def checked_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            "idempotencyKey",
            f"an idempotency key is 1 to {MAX_KEY_LENGTH} printable characters (a UUID is a "
            "good choice).",
        )
    return key


async def claim(tx: Prisma, user_id: str, key: str, *, operation: str, print_: str) -> Claim:
    """Inside the write's transaction, before writing. Raises IdempotencyKeyReusedError when
    the key was used with a different request (`print_`, from `fingerprint`)."""
    key = checked_key(key)
    await tx.execute_raw(_PURGE_SQL, user_id)
    if await tx.query_first(_CLAIM_SQL, user_id, key, print_) is not None:
        return Claim(replay=None)
    row = await tx.query_first(_READ_SQL, user_id, key)
    if row is None or row["fingerprint"] != print_:
        raise IdempotencyKeyReusedError(key, operation)
    result = row["result"]
    if isinstance(result, str):  # a driver that hands json back as text
        result = json.loads(result)
    return Claim(replay=cast("dict[str, JsonValue]", result or {}))


async def remember(tx: Prisma, user_id: str, key: str, result: dict[str, JsonValue]) -> None:
    """Store what the claimed request created; commits with its write."""
    await tx.idempotencykey.update(
        where={"userId_key": {"userId": user_id, "key": key}}, data={"result": Json(result)}
    )
