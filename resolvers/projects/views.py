"""Project views: `recordProjectView` counts at most one view per viewer, project and window.

The counting state lives in PostgreSQL (`project_views`, one row per project and viewer), so it
holds across API processes and restarts and doesn't depend on Redis being up. One statement
inserts the viewer's row, or moves its `counted_at` forward when the window has passed, and
bumps `projects.views` only when it did; two requests at once serialize on the row, so exactly
one of them counts.

A view changes `views` (and the TRENDING order) without touching `updatedAt`, and invalidates
the project's own entries (`project:{id}`) but not the public discovery pages: those are cached
for a minute, so TRENDING reflects views within a minute without every view emptying them.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from prisma.errors import RawQueryError
from resolvers.access import project_access
from resolvers.errors import NotFoundError
from resolvers.invalidation import touched

if TYPE_CHECKING:
    from prisma.models import Project
    from resolvers.scope import RequestScope

__all__ = ["VIEW_WINDOW", "RecordedView", "record_project_view", "viewer_key"]

VIEW_WINDOW = timedelta(minutes=30)
FOREIGN_KEY_VIOLATION = "23503"
PRUNE_CHANCE = 0.01  # of calls that also delete rows whose window passed long ago

# Raw SQL: the ORM can't yet say an upsert with a conditional update, nor an increment that
# leaves the `@updatedAt` column alone (a view is not an edit).
_COUNT_VIEW_SQL = (
    "WITH counted AS (INSERT INTO project_views AS v (project_id, viewer_key, counted_at) "
    "VALUES ($1, $2, now()) ON CONFLICT (project_id, viewer_key) DO UPDATE "
    "SET counted_at = excluded.counted_at "
    "WHERE v.counted_at <= excluded.counted_at - make_interval(secs => $3) "
    "RETURNING v.project_id) "
    "UPDATE projects p SET views = p.views + 1 FROM counted WHERE p.id = counted.project_id "
    "RETURNING p.views"
)


@dataclass(frozen=True, slots=True)
class RecordedView:
    project: Project
    counted: bool


def viewer_key(user_id: str | None, address: str | None) -> str:
    """Who is viewing: the signed-in user, else a hash of the client's address (never the
    address itself), else one shared anonymous key."""
    if user_id is not None:
        return f"user:{user_id}"
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"ip:{digest}"


async def record_project_view(
    scope: RequestScope, project_id: str, *, address: str | None
) -> RecordedView:
    """Count a view of a project the viewer may see (anyone, for public and unlisted ones)."""
    project = await scope.loaders.project_by_id.load(project_id)
    if project is None or not (await project_access(scope, project)).can_read:
        raise NotFoundError("project", project_id)
    key = viewer_key(scope.viewer.user_id, address)
    try:
        rows = await scope.db.query_raw(
            _COUNT_VIEW_SQL, project.id, key, VIEW_WINDOW.total_seconds()
        )
    except RawQueryError as exc:
        if exc.sqlstate != FOREIGN_KEY_VIOLATION:
            raise
        raise NotFoundError("project", project_id) from None  # deleted since we looked
    if random.random() < PRUNE_CHANCE:  # spreads the pruning over calls
        cutoff = datetime.now(UTC) - 2 * VIEW_WINDOW
        await scope.db.projectview.delete_many(where={"countedAt": {"lt": cutoff}})
    if not rows:
        return RecordedView(project=project, counted=False)
    scope.loaders.forget_project(project.id)
    await touched(scope, [f"project:{project.id}"])
    counted = project.model_copy(update={"views": int(rows[0]["views"])})
    return RecordedView(project=counted, counted=True)
