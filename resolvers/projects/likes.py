"""Likes: one per user and project, recorded in `project_likes`; `Project.likes` counts them.

`like_project` inserts the viewer's like with `ON CONFLICT DO NOTHING` and bumps the counter
only when a row went in, in one transaction, so liking twice (or under fifteen aliases in one
document, or from two requests at once) counts once. `unlike_project` is its inverse.

A like is not an edit: it leaves `updatedAt` alone, so liking never moves a project up the
UPDATED and FEATURED lists (files and messages do: `writes.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders.cache import TTL
from prisma.errors import ForeignKeyViolationError
from resolvers.access import project_access, require_user
from resolvers.errors import NotFoundError
from resolvers.invalidation import touched
from resolvers.projects.reads import project_tags

if TYPE_CHECKING:
    from prisma import Prisma
    from prisma.models import Project
    from resolvers.scope import RequestScope

__all__ = ["like_project", "resolve_viewer_has_liked", "unlike_project"]


async def _visible_project(scope: RequestScope, project_id: str, action: str) -> str:
    """The viewer's id, once the project exists and the viewer may see it."""
    user_id = require_user(scope.viewer, action)
    project = await scope.loaders.project_by_id.load(project_id)
    if project is None or not (await project_access(scope, project)).can_read:
        raise NotFoundError("project", project_id)
    return user_id


async def _counted(tx: Prisma, project_id: str, change: int) -> Project:
    """The project after adding `change` to its like count (none: read as it is)."""
    if change:
        # Raw SQL because the ORM's update always sets an @updatedAt field, as Prisma's does;
        # an update option that leaves it alone would replace this statement.
        await tx.execute_raw(
            "UPDATE projects SET likes = likes + $1 WHERE id = $2", change, project_id
        )
    project = await tx.project.find_unique(where={"id": project_id})
    if project is None:
        raise NotFoundError("project", project_id)
    return project


async def _done(scope: RequestScope, project: Project, *, changed: bool) -> Project:
    scope.loaders.forget_project(project.id)
    if changed:
        await touched(scope, project_tags(project))
    return project


async def like_project(scope: RequestScope, project_id: str) -> Project:
    """Any signed-in viewer who can see the project may like it, once: liking again changes
    nothing and returns the project as it is."""
    user_id = await _visible_project(scope, project_id, "like a project")
    try:
        async with scope.db.tx() as tx:
            inserted = await tx.projectlike.create_many(
                data=[{"projectId": project_id, "userId": user_id}], skip_duplicates=True
            )
            project = await _counted(tx, project_id, inserted)
    except ForeignKeyViolationError:  # deleted since we looked
        raise NotFoundError("project", project_id) from None
    return await _done(scope, project, changed=inserted > 0)


async def unlike_project(scope: RequestScope, project_id: str) -> Project:
    """Take the viewer's like back; without one, nothing changes."""
    user_id = await _visible_project(scope, project_id, "unlike a project")
    async with scope.db.tx() as tx:
        removed = await tx.projectlike.delete_many(
            where={"projectId": project_id, "userId": user_id}
        )
        project = await _counted(tx, project_id, -removed)
    return await _done(scope, project, changed=removed > 0)


async def resolve_viewer_has_liked(scope: RequestScope, project: Project) -> bool:
    """False for anonymous viewers (no statement); otherwise batched across a list."""
    user_id = scope.viewer.user_id
    if user_id is None:
        return False
    scope.depends_on(f"project:{project.id}", ttl=TTL.PUBLIC_DISCOVERY)
    return await scope.loaders.liked_by_project_and_user_id.load((project.id, user_id))
