"""Who may see and change what. Reads of private data the viewer may not see behave exactly as
if the data did not exist; writes by the wrong person are refused with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prisma.enums import CollaboratorRole, Visibility
from resolvers.errors import AuthenticationError, ForbiddenError, NotFoundError
from resolvers.scope import ViewerRole

if TYPE_CHECKING:
    from prisma.models import Dream, Project
    from resolvers.scope import RequestScope, Viewer

__all__ = [
    "ProjectAccess",
    "can_read_dream",
    "project_access",
    "require_admin",
    "require_user",
    "writable_project",
]

WRITE_ROLES = frozenset({"OWNER", CollaboratorRole.EDITOR.value, CollaboratorRole.ADMIN.value})
ADMIN_ROLES = frozenset({"OWNER", CollaboratorRole.ADMIN.value})


def require_user(viewer: Viewer, action: str) -> str:
    """The viewer's user id, or `AuthenticationError` for an anonymous viewer."""
    if viewer.user_id is None:
        raise AuthenticationError(action)
    return viewer.user_id


def require_admin(viewer: Viewer, action: str) -> str:
    user_id = require_user(viewer, action)
    if viewer.role != ViewerRole.ADMIN:
        raise ForbiddenError(f"Only administrators may {action}.")
    return user_id


def can_read_dream(viewer: Viewer, dream: Dream) -> bool:
    return dream.isPublic or (viewer.user_id is not None and dream.userId == viewer.user_id)


class ProjectAccess:
    """What the viewer may do with one project: `role` is OWNER, a collaborator role or None."""

    __slots__ = ("project", "role")

    def __init__(self, project: Project, role: str | None) -> None:
        self.project = project
        self.role = role

    @property
    def can_read(self) -> bool:
        return self.role is not None or self.project.visibility != Visibility.PRIVATE

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def can_administer(self) -> bool:
        return self.role in ADMIN_ROLES


async def project_access(scope: RequestScope, project: Project) -> ProjectAccess:
    user_id = scope.viewer.user_id
    if user_id is None:
        return ProjectAccess(project, None)
    if project.userId == user_id:
        return ProjectAccess(project, "OWNER")
    collaborators = await scope.loaders.collaborators_by_project_id.load(project.id)
    role = next((c.role.value for c in collaborators if c.userId == user_id), None)
    return ProjectAccess(project, role)


async def writable_project(scope: RequestScope, project_id: str, action: str) -> ProjectAccess:
    """The project, if the signed-in viewer may change it; `NotFoundError` when they may not
    even see it, `ForbiddenError` when they may only read it."""
    require_user(scope.viewer, action)
    project = await scope.loaders.project_by_id.load(project_id)
    access = None if project is None else await project_access(scope, project)
    if access is None or not access.can_read:
        raise NotFoundError("project", project_id)
    if not access.can_write:
        raise ForbiddenError(
            f"You may read this project but not {action}: ask its owner for the EDITOR role."
        )
    return access
