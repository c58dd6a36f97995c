"""SQL statements per request, counted through the client's query listener.

One listener serves every request: each statement is attributed to the `StatementTally` in the
`ContextVar` of the task that ran it. The endpoint sets a fresh tally per request before anything
runs, and asyncio copies the context into tasks a request starts (DataLoader batches, the cache's
single-flight task), so concurrent requests never count each other's statements. Statements run
outside any request (the response-time writer) count nowhere.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orm.runtime.client import BaseClient, QueryEvent

__all__ = ["StatementCounter", "StatementTally"]


@dataclass(slots=True)
class StatementTally:
    count: int = 0
    duration_ms: float = 0.0


_current: ContextVar[StatementTally | None] = ContextVar("statement_tally", default=None)


class StatementCounter:
    def __init__(self, db: BaseClient) -> None:
        self._db = db
        db.add_query_listener(self._on_query)

    def close(self) -> None:
        self._db.remove_query_listener(self._on_query)

    def _on_query(self, event: QueryEvent) -> None:
        tally = _current.get()
        if tally is not None:
            tally.count += 1
            tally.duration_ms += event.duration_ms

    @contextmanager
    def track(self) -> Generator[StatementTally]:
        """Count the statements the code inside runs (and the tasks it starts)."""
        tally = StatementTally()
        token = _current.set(tally)
        try:
            yield tally
        finally:
            _current.reset(token)
