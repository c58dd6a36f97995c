"""The dreams domain's subscription: `dreamProgress`, served over `graphql-transport-ws`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Annotated, Protocol, cast

import strawberry

from api.types.common import Info
from api.types.dreams.objects import AiTest, DecayPoint, Dream, ProgressLog
from resolvers.dreams import ChartBucket
from resolvers.dreams.live import DreamEventSource, watch_dream_progress

if TYPE_CHECKING:
    from resolvers.scope import RequestScope

__all__ = ["DreamProgressEvent", "DreamSubscription", "LiveContext"]


class LiveContext(Protocol):
    """What a websocket connection's context offers subscriptions (`api/subscriptions.py`)."""

    @property
    def events(self) -> DreamEventSource: ...

    def new_scope(self) -> RequestScope: ...


@strawberry.type(description="A dream's progress right after it changed.")
class DreamProgressEvent:
    dream: Dream = strawberry.field(description="The dream as it is now.")
    ai_test: AiTest | None = strawberry.field(
        description="The test whose recording caused this event; null for the first event "
        "(the state when you subscribed), when the dream itself changed, or after a "
        "reconnection (to catch up)."
    )
    progress: ProgressLog | None = strawberry.field(
        description="The dream's latest progress snapshot; null until a test has completed."
    )
    point: DecayPoint | None = strawberry.field(
        description="The chart's newest point (this UTC day or week, as `bucket` asks) with "
        "the new test in it; null without a completed test in the last 7 days."
    )


@strawberry.type
class DreamSubscription:
    @strawberry.subscription(
        description="A dream's progress now, then its new progress snapshot and chart point "
        "each time a test of it is recorded, from any API process, over "
        "`graphql-transport-ws` at `/graphql` (send the bearer token as `Authorization` in "
        "`connection_init`'s payload). Private dreams stream "
        "to their owner only; a dream that becomes private or is deleted ends others' streams "
        "with NOT_FOUND. At most 20 subscriptions per connection."
    )
    async def dream_progress(
        self,
        info: Info,
        dream_id: Annotated[strawberry.ID, strawberry.argument(description="The dream.")],
        bucket: Annotated[
            ChartBucket, strawberry.argument(description="What `point` covers: a day or a week.")
        ] = ChartBucket.DAY,
    ) -> AsyncGenerator[DreamProgressEvent]:
        context = cast("LiveContext", info.context)
        updates = watch_dream_progress(
            context.new_scope, context.events, str(dream_id), bucket=bucket
        )
        async for update in updates:
            yield DreamProgressEvent(
                dream=Dream.from_model(update.dream),
                ai_test=None if update.test is None else AiTest.from_model(update.test),
                progress=None
                if update.progress is None
                else ProgressLog.from_model(update.progress),
                point=None if update.point is None else DecayPoint.from_point(update.point),
            )
