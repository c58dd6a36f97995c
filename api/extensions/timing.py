"""Sampled request timings written to `api_response_times` in the background, in batches.

`record()` only appends to a bounded queue (a full queue drops the sample and counts it), so a
request never waits for the insert; one task drains the queue every `flush_interval` seconds in
batches of `batch_size` rows, each one `INSERT ... SELECT FROM unnest(...)`. `stop()` flushes
what is left. The task starts outside any request, so its statements count against none.
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

__all__ = ["ResponseTimeRecorder", "Timing"]

logger = logging.getLogger(__name__)

_INSERT = """
INSERT INTO api_response_times (operation, method, status_code, duration_ms, user_id, timestamp)
SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::float8[], $5::text[],
                     $6::timestamptz[])
"""


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
            operation[:200], method, status_code, duration_ms, user_id, datetime.now(UTC)
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
        columns = list(
            zip(
                *(
                    (t.operation, t.method, t.status_code, t.duration_ms, t.user_id, t.timestamp)
                    for t in batch
                ),
                strict=True,
            )
        )
        try:
            await self._db.execute_raw(_INSERT, *(list(c) for c in columns))
        except Exception:
            # Self-monitoring must never take the API down; the rows are lost and logged.
            logger.exception("writing %d response timings failed", len(batch))
            return
        self.written += len(batch)
