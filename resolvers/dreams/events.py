"""Dream events for live subscribers (`dreamProgress`): what changed, announced by the writer.

`announce_dream(tx, event)` runs PostgreSQL's `pg_notify` inside the writing transaction.
NOTIFY is transactional: listeners in every API process hear the event when the transaction
commits, never before and never for a rollback, so a listener that re-reads the dream after an
event sees the change. The payload names what changed, not the new data (NOTIFY payloads are
capped at 8000 bytes, and the database stays the one source of truth).

The channel is derived from the connection's schema, so APIs on different schemas of one
database (tests, staging beside production) don't hear each other's events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast, get_args

if TYPE_CHECKING:
    from prisma import Prisma

__all__ = ["CHANNEL_SQL", "DreamEvent", "EventKind", "announce_dream"]

EventKind = Literal["test", "updated", "deleted"]

_CHANNEL = "'dreams_' || left(md5(current_schema()), 16)"
CHANNEL_SQL = f"SELECT {_CHANNEL} AS channel"
_NOTIFY_SQL = f"SELECT pg_notify({_CHANNEL}, $1)"


@dataclass(frozen=True, slots=True)
class DreamEvent:
    """`test`: a test was recorded (`test_id`); `updated`: the dream changed (it may have
    become private); `deleted`: it is gone."""

    dream_id: str
    kind: EventKind
    test_id: str | None = None

    def encode(self) -> str:
        return json.dumps({"dream": self.dream_id, "kind": self.kind, "test": self.test_id})

    @classmethod
    def decode(cls, payload: str) -> DreamEvent | None:
        """The event in `payload`, or None when it isn't one of ours."""
        try:
            raw: object = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(raw, dict):
            return None
        fields = cast("dict[str, object]", raw)
        dream, kind, test = fields.get("dream"), fields.get("kind"), fields.get("test")
        if not isinstance(dream, str) or kind not in get_args(EventKind):
            return None
        return cls(dream, cast("EventKind", kind), test if isinstance(test, str) else None)


async def announce_dream(tx: Prisma, event: DreamEvent) -> None:
    """Queue `event` for every listening API process; delivered when `tx` commits."""
    await tx.execute_raw(_NOTIFY_SQL, event.encode())
