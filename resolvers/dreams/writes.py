"""Changing dreams: create, update, archive, delete, and record an AI test with its progress
snapshot. Every change that a live `dreamProgress` subscription must hear about is announced
with `announce_dream` inside its transaction (PostgreSQL delivers it on commit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from loaders.batch import storable
from prisma.enums import AiProvider, DreamCategory, DreamStatus, TestStatus
from prisma.models import AiTest, Dream, ProgressLog
from resolvers.access import can_read_dream, require_user
from resolvers.dreams.events import DreamEvent, announce_dream
from resolvers.dreams.progress import write_progress
from resolvers.dreams.reads import dream_tags
from resolvers.errors import ForbiddenError, NotFoundError, ValidationError
from resolvers.idempotency import claim, fingerprint, remember
from resolvers.invalidation import touched
from resolvers.validation import checked_decimal, checked_int, checked_tags, checked_text

if TYPE_CHECKING:
    from orm.runtime.types import JsonValue
    from prisma import Prisma
    from prisma.types import AiTestCreateInput, DreamCreateInput, DreamUpdateInput
    from resolvers.scope import RequestScope

__all__ = [
    "AiTestDraft",
    "DreamChanges",
    "DreamDraft",
    "RecordedTest",
    "archive_dream",
    "create_dream",
    "delete_dream",
    "record_ai_test",
    "update_dream",
]


@dataclass(frozen=True, slots=True)
class DreamDraft:
    title: str
    original_prompt: str
    description: str = ""
    category: DreamCategory = DreamCategory.OTHER
    tags: list[str] = field(default_factory=list[str])
    is_public: bool = False


@dataclass(frozen=True, slots=True)
class DreamChanges:
    """None leaves a field as it is."""

    title: str | None = None
    description: str | None = None
    original_prompt: str | None = None
    category: DreamCategory | None = None
    tags: list[str] | None = None
    is_public: bool | None = None
    status: DreamStatus | None = None


@dataclass(frozen=True, slots=True)
class AiTestDraft:
    provider: AiProvider
    model: str
    impossibility_score: float
    confidence: float
    reasoning: str = ""
    duration_ms: int = 0
    tokens_used: int = 0
    cost: float | Decimal = 0
    status: TestStatus = TestStatus.COMPLETED


@dataclass(frozen=True, slots=True)
class RecordedTest:
    test: AiTest
    progress: ProgressLog | None
    dream: Dream


def _draft_data(draft: DreamDraft, user_id: str) -> DreamCreateInput:
    return {
        "title": checked_text("title", draft.title, max_length=200),
        "description": checked_text(
            "description", draft.description, max_length=5000, required=False
        ),
        "originalPrompt": checked_text("originalPrompt", draft.original_prompt, max_length=10000),
        "category": draft.category,
        "tags": checked_tags("tags", draft.tags),
        "isPublic": draft.is_public,
        "user": {"connect": {"id": user_id}},
    }


def _changes_data(changes: DreamChanges) -> DreamUpdateInput:
    data: DreamUpdateInput = {}
    if changes.title is not None:
        data["title"] = checked_text("title", changes.title, max_length=200)
    if changes.description is not None:
        data["description"] = checked_text(
            "description", changes.description, max_length=5000, required=False
        )
    if changes.original_prompt is not None:
        data["originalPrompt"] = checked_text(
            "originalPrompt", changes.original_prompt, max_length=10000
        )
    if changes.tags is not None:
        data["tags"] = {"set": checked_tags("tags", changes.tags)}
    if changes.category is not None:
        data["category"] = changes.category
    if changes.is_public is not None:
        data["isPublic"] = changes.is_public
    if changes.status is not None:
        data["status"] = changes.status
    return data


async def create_dream(
    scope: RequestScope, draft: DreamDraft, *, idempotency_key: str | None = None
) -> Dream:
    """With an idempotency key, a repeat of the request answers the dream the first one made
    (as it is now)."""
    user_id = require_user(scope.viewer, "create a dream")
    data = _draft_data(draft, user_id)
    if idempotency_key is None:
        dream = await scope.db.dream.create(data=data)
    else:
        async with scope.db.tx() as tx:
            print_ = fingerprint("createDream", draft)
            claimed = await claim(
                tx, user_id, idempotency_key, operation="createDream", print_=print_
            )
            if claimed.replay is not None:
                first = str(claimed.replay.get("dream"))
                dream = await tx.dream.find_unique(where={"id": first})
                if dream is None:  # deleted since
                    raise NotFoundError("dream", first)
                return dream
            dream = await tx.dream.create(data=data)
            await remember(tx, user_id, idempotency_key, {"dream": dream.id})
    await touched(scope, dream_tags(dream))
    return dream


async def _owned_dream(db: Prisma, scope: RequestScope, dream_id: str, *, action: str) -> Dream:
    user_id = require_user(scope.viewer, action)
    if not storable(dream_id):
        raise NotFoundError("dream", dream_id)
    dream = await db.dream.find_unique(where={"id": dream_id})
    if dream is None or not can_read_dream(scope.viewer, dream):
        raise NotFoundError("dream", dream_id)
    if dream.userId != user_id:
        raise ForbiddenError(f"Only the dream's owner may {action}.")
    return dream


async def update_dream(scope: RequestScope, dream_id: str, changes: DreamChanges) -> Dream:
    data = _changes_data(changes)
    before = await _owned_dream(scope.db, scope, dream_id, action="change this dream")
    if not data:
        return before
    async with scope.db.tx() as tx:
        after = await tx.dream.update(where={"id": dream_id}, data=data)
        if after is None:
            raise NotFoundError("dream", dream_id)
        await announce_dream(tx, DreamEvent(dream_id, "updated"))
    scope.loaders.forget_dream(dream_id)
    await touched(scope, {*dream_tags(before), *dream_tags(after), "categories"})
    return after


async def archive_dream(scope: RequestScope, dream_id: str) -> Dream:
    return await update_dream(scope, dream_id, DreamChanges(status=DreamStatus.ARCHIVED))


def _test_data(draft: AiTestDraft, *, dream_id: str, user_id: str) -> AiTestCreateInput:
    hundred = Decimal(100)
    return {
        "provider": draft.provider,
        "model": checked_text("model", draft.model, max_length=100),
        "impossibilityScore": checked_decimal(
            "impossibilityScore", draft.impossibility_score, low=Decimal(0), high=hundred
        ),
        "confidence": checked_decimal("confidence", draft.confidence, low=Decimal(0), high=hundred),
        "reasoning": checked_text("reasoning", draft.reasoning, max_length=20000, required=False),
        "durationMs": checked_int("durationMs", draft.duration_ms, low=0),
        "tokensUsed": checked_int("tokensUsed", draft.tokens_used, low=0),
        "cost": checked_decimal("cost", draft.cost, low=Decimal(0), high=Decimal(9999)),
        "status": draft.status,
        "dream": {"connect": {"id": dream_id}},
        "user": {"connect": {"id": user_id}},
    }


LOCK_SQL = "SELECT id FROM dreams WHERE id = $1 FOR UPDATE"


async def record_ai_test(
    scope: RequestScope, dream_id: str, draft: AiTestDraft, *, idempotency_key: str | None = None
) -> RecordedTest:
    """Store a test and, in the same transaction, the dream's new progress snapshot (average,
    best, count, models, trend). The dream row is locked first, so concurrent tests of one
    dream compute their trends one after the other.

    Only a COMPLETED test changes the averages, so only it writes a snapshot: a FAILED or
    PENDING one leaves the latest snapshot (and its trend) as it was, and `progress` is that.
    With an idempotency key, a repeat of the request answers what the first one recorded."""
    user_id = require_user(scope.viewer, "record tests")
    data = _test_data(draft, dream_id=dream_id, user_id=user_id)
    if not storable(dream_id):
        raise NotFoundError("dream", dream_id)
    async with scope.db.tx() as tx:
        await tx.query_raw(LOCK_SQL, dream_id)
        dream = await _owned_dream(tx, scope, dream_id, action="record tests of this dream")
        if idempotency_key is not None:
            print_ = fingerprint("recordAiTest", (dream_id, draft))
            claimed = await claim(
                tx, user_id, idempotency_key, operation="recordAiTest", print_=print_
            )
            if claimed.replay is not None:
                return await _recorded(tx, dream, claimed.replay)
        if dream.status == DreamStatus.ARCHIVED:
            raise ValidationError("dreamId", "This dream is archived: restore it before testing.")
        test = await tx.aitest.create(data=data)
        if draft.status == TestStatus.COMPLETED:
            progress = await write_progress(tx, dream_id)
        else:
            progress = await tx.progresslog.find_first(
                where={"dreamId": dream_id}, order=[{"createdAt": "desc"}, {"id": "desc"}]
            )
        if idempotency_key is not None:
            result: dict[str, JsonValue] = {"test": test.id, "progress": progress and progress.id}
            await remember(tx, user_id, idempotency_key, result)
        await announce_dream(tx, DreamEvent(dream_id, "test", test.id))
    scope.loaders.forget_dream(dream_id)
    # Lists show nothing a test changes: the dream itself, its owner's dashboard, the
    # analytics and the owner's spend (tests cost money) are what a test makes stale.
    owner = dream.userId
    stale = [f"dream:{dream.id}", f"user:{owner}:dreams", "models", "categories"]
    await touched(scope, [*stale, f"usage:{owner}", "usage"])
    return RecordedTest(test=test, progress=progress, dream=dream)


async def _recorded(tx: Prisma, dream: Dream, first: dict[str, JsonValue]) -> RecordedTest:
    """What the first request with the idempotency key recorded (its rows don't change)."""
    test = await tx.aitest.find_unique(where={"id": str(first.get("test"))})
    if test is None:
        raise NotFoundError("AI test", str(first.get("test")))
    progress_id = first.get("progress")
    progress = (
        None
        if progress_id is None
        else await tx.progresslog.find_unique(where={"id": str(progress_id)})
    )
    return RecordedTest(test=test, progress=progress, dream=dream)


async def delete_dream(scope: RequestScope, dream_id: str) -> Dream:
    """Delete the dream with its tests and progress snapshots (owner only). Its tests' cost
    leaves the owner's spend and the analytics with it; live subscriptions to it end."""
    require_user(scope.viewer, "delete a dream")
    if not storable(dream_id):
        raise NotFoundError("dream", dream_id)
    async with scope.db.tx() as tx:
        await tx.query_raw(LOCK_SQL, dream_id)  # waits for a test being recorded
        dream = await _owned_dream(tx, scope, dream_id, action="delete this dream")
        await tx.dream.delete(where={"id": dream_id})
        await announce_dream(tx, DreamEvent(dream_id, "deleted"))
    scope.loaders.forget_dream(dream_id)
    owner = dream.userId
    stale = [*dream_tags(dream), "models", "categories", f"usage:{owner}", "usage"]
    await touched(scope, stale)
    return dream
