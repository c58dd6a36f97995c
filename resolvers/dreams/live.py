"""`dreamProgress`: a dream's progress as it changes, for as long as the viewer may see it.

The subscriber checks access when it starts and again on every event: a private dream streams
to its owner only, and a dream made private (or deleted) ends the stream of everyone else with
NOT_FOUND, as `dream(id:)` would answer `null`. Each event is read in a short transaction, so
it comes from the primary (a read replica may not have the commit the event announced yet),
with fresh loaders, whose results prime the request scope the update's fields resolve from.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from loaders import Loaders
from loaders.dreams import AiTestStats, DecayPoint
from resolvers.access import can_read_dream
from resolvers.dreams.events import DreamEvent
from resolvers.dreams.progress import ChartBucket
from resolvers.errors import NotFoundError
from resolvers.scope import RequestScope

if TYPE_CHECKING:
    from prisma import Prisma
    from prisma.models import AiTest, Dream, ProgressLog

__all__ = ["DreamEventSource", "DreamUpdate", "watch_dream_progress"]

# The current bucket is the newest point of a 7-day chart: a day, or the week started Monday
# (at most 7 days ago), lies wholly inside the range.
_CURRENT_BUCKET_DAYS = 7


class DreamEventSource(Protocol):
    """Events about one dream, from every API process (`api/live.py` implements it)."""

    def listen(self, dream_id: str) -> AbstractAsyncContextManager[AsyncIterator[DreamEvent]]: ...


@dataclass(frozen=True, slots=True)
class DreamUpdate:
    dream: Dream
    test: AiTest | None
    progress: ProgressLog | None
    stats: AiTestStats
    point: DecayPoint | None


async def _read(
    db: Prisma, dream_id: str, test_id: str | None, bucket: ChartBucket
) -> DreamUpdate | None:
    """The dream's state now, or None once it is deleted."""
    async with db.tx() as tx:  # on the primary
        loaders = Loaders(tx)  # no result cache: the event may be newer than a cached chart
        dream = await loaders.dream_by_id.load(dream_id)
        if dream is None:
            return None
        progress = await loaders.latest_progress_by_dream_id.load(dream_id)
        stats = await loaders.ai_test_stats_by_dream_id.load(dream_id)
        points = await loaders.decay_points_by_dream_id.load(
            (dream_id, _CURRENT_BUCKET_DAYS, bucket.value)
        )
        test = None if test_id is None else await tx.aitest.find_unique(where={"id": test_id})
    point = points[-1] if points else None
    return DreamUpdate(dream=dream, test=test, progress=progress, stats=stats, point=point)


def _prime(scope: RequestScope, update: DreamUpdate) -> None:
    dream_id = update.dream.id
    scope.loaders.dream_by_id.prime(dream_id, update.dream)
    scope.loaders.latest_progress_by_dream_id.prime(dream_id, update.progress)
    scope.loaders.ai_test_stats_by_dream_id.prime(dream_id, update.stats)


async def watch_dream_progress(
    new_scope: Callable[[], RequestScope],
    source: DreamEventSource,
    dream_id: str,
    *,
    bucket: ChartBucket = ChartBucket.DAY,
) -> AsyncIterator[DreamUpdate]:
    """The dream's progress now, then an update each time a test of it is recorded (or it
    changes), until the viewer may no longer see it. The first update comes once the listener
    is in place, so a client that has it misses no later change. `new_scope()` gives each update
    fresh loaders."""
    scope = new_scope()
    async with source.listen(dream_id) as events:
        dream = await scope.loaders.dream_by_id.load(dream_id)
        if dream is None or not can_read_dream(scope.viewer, dream):
            raise NotFoundError("dream", dream_id)
        event: DreamEvent | None = None
        while True:
            test_id = event.test_id if event is not None and event.kind == "test" else None
            update = await _read(scope.db, dream_id, test_id, bucket)
            if update is None or not can_read_dream(scope.viewer, update.dream):
                raise NotFoundError("dream", dream_id)
            scope = new_scope()
            _prime(scope, update)
            yield update
            event = await anext(events)
