"""Sampled request timings written to `api_response_times` in the background, in batches.

`record()` only appends to a bounded queue (a full queue drops the sample and counts it), so a
request never waits for the insert; one task drains the queue every `flush_interval` seconds in
batches of `batch_size` rows, each one `INSERT ... SELECT FROM unnest(...)`. `stop()` flushes
what is left. The task starts outside any request, so its statements count against none.

Clients choose operation names, so a name is made storable before it is queued (no NUL, no
lone surrogates, at most 200 characters), and a batch PostgreSQL still refuses is retried row by
row: one bad row loses itself, never the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orm.runtime.client import BaseClient

__all__ = ["ResponseTimeRecorder", "Timing", "storable"]

logger = logging.getLogger(__name__)

_INSERT = """
INSERT INTO api_response_times (operation, method, status_code, duration_ms, user_id, timestamp)
SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::float8[], $5::text[],
                     $6::timestamptz[])
"""


def storable(text: str, limit: int = 200) -> str:
    """`text` as PostgreSQL can store it: NUL removed, unencodable characters replaced."""
    cleaned = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return cleaned[:limit]


@dataclass(frozen=True, slots=True)
class Timing:
    operation: str
    method: str
    status_code: int
    duration_ms: float
    user_id: str | None
    timestamp: datetime


class ResponseTimeRecorder:
    def __init__(
        self,
        db: BaseClient,
        *,
        sample_rate: float,
        batch_size: int = 200,
        flush_interval: float = 1.0,
        max_queue: int = 10_000,
        rng: random.Random | None = None,
    ) -> None:
        self._db = db
        self.sample_rate = sample_rate
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._queue: asyncio.Queue[Timing] = asyncio.Queue(maxsize=max_queue)
        self._rng = rng or random.Random()
        self._task: asyncio.Task[None] | None = None
        self._writing = asyncio.Lock()
        self.written = 0
        self.dropped = 0

    def record(
        self, operation: str, method: str, status_code: int, duration_ms: float, user_id: str | None
    ) -> None:
        if self.sample_rate <= 0 or self._rng.random() >= self.sample_rate:
            return
        timing = Timing(
            storable(operation),
            storable(method, 10),
            status_code,
            duration_ms,
            user_id,
            datetime.now(UTC),
        )
        try:
            self._queue.put_nowait(timing)
        except asyncio.QueueFull:
            self.dropped += 1

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="response-time-recorder")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()

    async def flush(self) -> None:
        """Write everything queued now (and wait for a write in progress)."""
        async with self._writing:
            while not self._queue.empty():
                await self._write(self._drain())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_interval)
            if not self._queue.empty():
                await self.flush()

    def _drain(self) -> list[Timing]:
        batch: list[Timing] = []
        while len(batch) < self._batch_size and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _write(self, batch: list[Timing]) -> None:
        if not batch:
            return
        try:
            await self._insert(batch)
        except Exception:
            # Self-monitoring must never take the API down; try the rows one by one.
            logger.exception("writing %d response timings failed; retrying row by row", len(batch))
            for timing in batch:
                await self._write_one(timing)
            return
        self.written += len(batch)

    async def _write_one(self, timing: Timing) -> None:
        try:
            await self._insert([timing])
        except Exception:
            logger.exception("a response timing of %r was lost", timing.operation)
            return
        self.written += 1

    async def _insert(self, batch: list[Timing]) -> None:
        columns = list(
            zip(
                *(
                    (t.operation, t.method, t.status_code, t.duration_ms, t.user_id, t.timestamp)
                    for t in batch
                ),
                strict=True,
            )
        )
        await self._db.execute_raw(_INSERT, *(list(c) for c in columns))
