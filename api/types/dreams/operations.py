"""The dreams domain's queries and mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.types.common import Info, scope_of
from api.types.dreams.inputs import (
    CreateDreamInput,
    DreamFilterInput,
    DreamSort,
    RecordAiTestInput,
    UpdateDreamInput,
)
from api.types.dreams.objects import AiTest, Dashboard, Dream, ProgressLog
from api.types.idempotency import idempotency_key
from api.types.pagination import After, Connection, PageSize, to_connection
from resolvers import dreams as rules

__all__ = [
    "ArchiveDreamPayload",
    "CreateDreamPayload",
    "DeleteDreamPayload",
    "DreamMutation",
    "DreamQuery",
    "RecordAiTestPayload",
    "UpdateDreamPayload",
]

DreamId = Annotated[strawberry.ID, strawberry.argument(description="The dream's id.")]


@strawberry.type
class DreamQuery:
    @strawberry.field(description="A dream you may see; null if it does not exist or is private.")
    async def dream(self, info: Info, id: DreamId) -> Dream | None:
        dream = await rules.resolve_dream(scope_of(info), str(id))
        return None if dream is None else Dream.from_model(dream)

    @strawberry.field(description="Public dreams and your own (anonymous: public only).")
    async def dreams(
        self,
        info: Info,
        *,
        filter: Annotated[
            DreamFilterInput | None, strawberry.argument(description="Narrows the list.")
        ] = None,
        sort: Annotated[DreamSort, strawberry.argument(description="The order.")] = (
            DreamSort.RECENT
        ),
        first: PageSize = 20,
        after: After = None,
    ) -> Connection[Dream]:
        flt = filter.to_rules() if filter is not None else rules.DreamFilter()
        page = await rules.resolve_dreams(scope_of(info), flt, sort.value, first=first, after=after)
        return to_connection(page, Dream.from_model)

    @strawberry.field(
        description="Your newest active dreams with their progress, and totals over all of "
        "them (sign-in required)."
    )
    async def dashboard(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="How many dreams to show, 1-100.")
        ] = 20,
    ) -> Dashboard:
        return Dashboard.from_dashboard(await rules.resolve_dashboard(scope_of(info), first))


@strawberry.type(description="What `createDream` made.")
class CreateDreamPayload:
    dream: Dream = strawberry.field(description="The new dream.")


@strawberry.type(description="What `updateDream` changed.")
class UpdateDreamPayload:
    dream: Dream = strawberry.field(description="The dream as it is now.")


@strawberry.type(description="What `archiveDream` changed.")
class ArchiveDreamPayload:
    dream: Dream = strawberry.field(description="The dream, now ARCHIVED.")


@strawberry.type(description="What `deleteDream` removed.")
class DeleteDreamPayload:
    deleted_id: strawberry.ID = strawberry.field(description="The id the dream had.")


@strawberry.type(description="What `recordAiTest` stored.")
class RecordAiTestPayload:
    ai_test: AiTest = strawberry.field(description="The new test.")
    progress: ProgressLog | None = strawberry.field(
        description="The dream's latest progress snapshot: a new one when the test COMPLETED, "
        "otherwise the one before (unchanged); null until a test has completed."
    )
    dream: Dream = strawberry.field(description="The dream that was tested.")


@strawberry.type
class DreamMutation:
    @strawberry.mutation(description="Write down a new dream (sign-in required).")
    async def create_dream(
        self,
        info: Info,
        input: Annotated[CreateDreamInput, strawberry.argument(description="The dream.")],
    ) -> CreateDreamPayload:
        key = idempotency_key(info, input.idempotency_key)
        dream = await rules.create_dream(scope_of(info), input.to_rules(), idempotency_key=key)
        return CreateDreamPayload(dream=Dream.from_model(dream))

    @strawberry.mutation(description="Owner only.")
    async def update_dream(
        self,
        info: Info,
        id: DreamId,
        input: Annotated[UpdateDreamInput, strawberry.argument(description="What to change.")],
    ) -> UpdateDreamPayload:
        dream = await rules.update_dream(scope_of(info), str(id), input.to_rules())
        return UpdateDreamPayload(dream=Dream.from_model(dream))

    @strawberry.mutation(description="Owner only; the dream leaves the dashboard.")
    async def archive_dream(self, info: Info, id: DreamId) -> ArchiveDreamPayload:
        dream = await rules.archive_dream(scope_of(info), str(id))
        return ArchiveDreamPayload(dream=Dream.from_model(dream))

    @strawberry.mutation(
        description="Owner only. Deletes the dream with its tests and progress snapshots: "
        "their cost leaves your spend and the analytics, and subscriptions to it end."
    )
    async def delete_dream(self, info: Info, id: DreamId) -> DeleteDreamPayload:
        dream = await rules.delete_dream(scope_of(info), str(id))
        return DeleteDreamPayload(deleted_id=strawberry.ID(dream.id))

    @strawberry.mutation(
        description="Owner only. Stores the test and, when it COMPLETED, the dream's new "
        "progress snapshot, in one transaction; `dreamProgress` subscribers hear of it."
    )
    async def record_ai_test(
        self,
        info: Info,
        input: Annotated[RecordAiTestInput, strawberry.argument(description="The test.")],
    ) -> RecordAiTestPayload:
        key = idempotency_key(info, input.idempotency_key)
        recorded = await rules.record_ai_test(
            scope_of(info), str(input.dream_id), input.to_rules(), idempotency_key=key
        )
        return RecordAiTestPayload(
            ai_test=AiTest.from_model(recorded.test),
            progress=None
            if recorded.progress is None
            else ProgressLog.from_model(recorded.progress),
            dream=Dream.from_model(recorded.dream),
        )
