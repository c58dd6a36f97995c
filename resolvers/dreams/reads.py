"""Reading dreams: one dream, lists, a dream's tests and aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from loaders.cache import TTL
from loaders.dreams import AiTestStats
from prisma.enums import DreamCategory, DreamStatus, TestStatus
from resolvers.access import can_read_dream, require_user
from resolvers.pagination import (
    Page,
    SortSpec,
    build_page,
    keyset_where,
    order_by,
    page_request,
)
from resolvers.validation import checked_id, checked_tags

if TYPE_CHECKING:
    from prisma.models import AiTest, Dream, ProgressLog
    from prisma.types import (
        AiTestOrderByInput,
        AiTestWhereInput,
        DreamOrderByInput,
        DreamWhereInput,
    )
    from resolvers.scope import RequestScope

__all__ = [
    "AI_TEST_ORDER",
    "DREAM_SORTS",
    "DreamFilter",
    "dream_tags",
    "resolve_ai_test_stats",
    "resolve_ai_tests",
    "resolve_dream",
    "resolve_dreams",
    "resolve_latest_progress",
]

DREAM_SORTS = {
    "RECENT": SortSpec("RECENT", "createdAt", "desc", "datetime"),
    "OLDEST": SortSpec("OLDEST", "createdAt", "asc", "datetime"),
    "UPDATED": SortSpec("UPDATED", "updatedAt", "desc", "datetime"),
}
AI_TEST_ORDER = SortSpec("NEWEST", "createdAt", "desc", "datetime")


@dataclass(frozen=True, slots=True)
class DreamFilter:
    """`mine`: only the viewer's dreams; `owner_id`: one user's (public ones, unless the
    viewer's own); `tags`: dreams carrying any of them."""

    mine: bool = False
    owner_id: str | None = None
    category: DreamCategory | None = None
    status: DreamStatus | None = None
    tags: tuple[str, ...] = ()


def dream_tags(dream: Dream) -> list[str]:
    """Cache tags a read of this dream depends on (and a write to it dirties)."""
    tags = [f"dream:{dream.id}", f"user:{dream.userId}:dreams"]
    if dream.isPublic:
        tags.append("dreams:public")
    return tags


async def resolve_dream(scope: RequestScope, dream_id: str) -> Dream | None:
    """The dream, or None when it does not exist or is private to someone else."""
    scope.depends_on(f"dream:{dream_id}", ttl=TTL.USER_DREAMS)
    dream = await scope.loaders.dream_by_id.load(dream_id)
    if dream is None or not can_read_dream(scope.viewer, dream):
        return None
    return dream


def _visibility(scope: RequestScope, flt: DreamFilter) -> dict[str, object]:
    """The `where` restricting a list to what the viewer may see, recording its cache tags."""
    me = scope.viewer.user_id
    if flt.mine:
        me = require_user(scope.viewer, "list your own dreams")
        scope.depends_on(f"user:{me}:dreams", ttl=TTL.USER_DREAMS)
        return {"userId": me}
    if flt.owner_id is not None:
        checked_id("filter.ownerId", flt.owner_id)
        scope.depends_on(f"user:{flt.owner_id}:dreams", ttl=TTL.USER_DREAMS)
        if flt.owner_id == me:
            return {"userId": me}
        return {"userId": flt.owner_id, "isPublic": True}
    scope.depends_on("dreams:public", ttl=TTL.USER_DREAMS)
    if me is None:
        return {"isPublic": True}
    scope.depends_on(f"user:{me}:dreams", ttl=TTL.USER_DREAMS)
    return {"OR": [{"isPublic": True}, {"userId": me}]}


def _filters(flt: DreamFilter) -> list[dict[str, object]]:
    where: list[dict[str, object]] = []
    if flt.category is not None:
        where.append({"category": flt.category})
    if flt.status is not None:
        where.append({"status": flt.status})
    if flt.tags:
        where.append({"tags": {"has_some": checked_tags("filter.tags", list(flt.tags))}})
    return where


async def resolve_dreams(
    scope: RequestScope,
    flt: DreamFilter,
    sort: str = "RECENT",
    *,
    first: int | None = None,
    after: str | None = None,
) -> Page[Dream]:
    """Dreams the viewer may see, newest first by default (anonymous viewers: public only)."""
    spec = DREAM_SORTS[sort]
    request = page_request(first, after, spec)
    clauses = [_visibility(scope, flt), *_filters(flt), keyset_where(spec, request.after)]
    rows = await scope.db.dream.find_many(
        where=cast("DreamWhereInput", {"AND": [c for c in clauses if c]}),
        order=cast("list[DreamOrderByInput]", order_by(spec)),
        take=request.first + 1,
    )
    for row in rows:
        scope.depends_on(f"dream:{row.id}", ttl=TTL.USER_DREAMS)
        scope.loaders.dream_by_id.prime(row.id, row)
    return build_page(
        rows, request, spec, key_of=lambda d: getattr(d, spec.field), id_of=lambda d: d.id
    )


async def resolve_latest_progress(scope: RequestScope, dream: Dream) -> ProgressLog | None:
    scope.depends_on(f"dream:{dream.id}", ttl=TTL.DREAM_PROGRESS)
    return await scope.loaders.latest_progress_by_dream_id.load(dream.id)


async def resolve_ai_test_stats(scope: RequestScope, dream: Dream) -> AiTestStats:
    scope.depends_on(f"dream:{dream.id}", ttl=TTL.DREAM_PROGRESS)
    return await scope.loaders.ai_test_stats_by_dream_id.load(dream.id)


async def resolve_ai_tests(
    scope: RequestScope,
    dream: Dream,
    *,
    first: int | None = None,
    after: str | None = None,
    status: TestStatus | None = None,
) -> Page[AiTest]:
    """A dream's tests, newest first, of every status or only `status`. First pages are
    batched across dreams (one statement for a whole list); later pages run one keyset query
    for the dream asked about."""
    scope.depends_on(f"dream:{dream.id}", ttl=TTL.DREAM_PROGRESS)
    spec = AI_TEST_ORDER
    request = page_request(first, after, spec)
    if request.after is None:
        key = (dream.id, request.first + 1, None if status is None else status.value)
        rows = await scope.loaders.recent_ai_tests_by_dream_id.load(key)
    else:
        clauses = [{"dreamId": dream.id}, keyset_where(spec, request.after)]
        if status is not None:
            clauses.append({"status": status})
        rows = await scope.db.aitest.find_many(
            where=cast("AiTestWhereInput", {"AND": clauses}),
            order=cast("list[AiTestOrderByInput]", order_by(spec)),
            take=request.first + 1,
        )
    return build_page(rows, request, spec, key_of=lambda t: t.createdAt, id_of=lambda t: t.id)
