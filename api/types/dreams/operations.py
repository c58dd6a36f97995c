"""The dreams domain's queries and mutations."""

from __future__ import annotations

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
from api.types.pagination import Connection, to_connection
from resolvers import dreams as rules

__all__ = [
    "ArchiveDreamPayload",
    "CreateDreamPayload",
    "DreamMutation",
    "DreamQuery",
    "RecordAiTestPayload",
    "UpdateDreamPayload",
]


@strawberry.type
class DreamQuery:
    @strawberry.field(description="A dream you may see; null if it does not exist or is private.")
    async def dream(self, info: Info, id: strawberry.ID) -> Dream | None:
        dream = await rules.resolve_dream(scope_of(info), str(id))
        return None if dream is None else Dream.from_model(dream)

    @strawberry.field(description="Public dreams and your own (anonymous: public only).")
    async def dreams(
        self,
        info: Info,
        *,
        filter: DreamFilterInput | None = None,
        sort: DreamSort = DreamSort.RECENT,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Dream]:
        flt = filter.to_rules() if filter is not None else rules.DreamFilter()
        page = await rules.resolve_dreams(scope_of(info), flt, sort.value, first=first, after=after)
        return to_connection(page, Dream.from_model)

    @strawberry.field(description="Your newest active dreams with progress (sign-in required).")
    async def dashboard(self, info: Info, first: int = 20) -> Dashboard:
        return Dashboard.from_dashboard(await rules.resolve_dashboard(scope_of(info), first))


@strawberry.type
class CreateDreamPayload:
    dream: Dream


@strawberry.type
class UpdateDreamPayload:
    dream: Dream


@strawberry.type
class ArchiveDreamPayload:
    dream: Dream


@strawberry.type
class RecordAiTestPayload:
    ai_test: AiTest
    progress: ProgressLog | None = strawberry.field(
        description="The dream's new progress snapshot; null until a test has completed."
    )
    dream: Dream


@strawberry.type
class DreamMutation:
    @strawberry.mutation
    async def create_dream(self, info: Info, input: CreateDreamInput) -> CreateDreamPayload:
        dream = await rules.create_dream(scope_of(info), input.to_rules())
        return CreateDreamPayload(dream=Dream.from_model(dream))

    @strawberry.mutation(description="Owner only.")
    async def update_dream(
        self, info: Info, id: strawberry.ID, input: UpdateDreamInput
    ) -> UpdateDreamPayload:
        dream = await rules.update_dream(scope_of(info), str(id), input.to_rules())
        return UpdateDreamPayload(dream=Dream.from_model(dream))

    @strawberry.mutation(description="Owner only; the dream leaves the dashboard.")
    async def archive_dream(self, info: Info, id: strawberry.ID) -> ArchiveDreamPayload:
        dream = await rules.archive_dream(scope_of(info), str(id))
        return ArchiveDreamPayload(dream=Dream.from_model(dream))

    @strawberry.mutation(
        description="Owner only. Stores the test and the dream's new progress snapshot "
        "in one transaction."
    )
    async def record_ai_test(self, info: Info, input: RecordAiTestInput) -> RecordAiTestPayload:
        recorded = await rules.record_ai_test(scope_of(info), str(input.dream_id), input.to_rules())
        return RecordAiTestPayload(
            ai_test=AiTest.from_model(recorded.test),
            progress=None
            if recorded.progress is None
            else ProgressLog.from_model(recorded.progress),
            dream=Dream.from_model(recorded.dream),
        )
