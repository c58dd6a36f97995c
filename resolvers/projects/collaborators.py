"""Collaborators: who else may read or change a project, and how much.

The owner and ADMIN collaborators manage collaborators. Only the owner may grant the ADMIN role
or change or remove an ADMIN, so ADMINs can't push each other (or the owner's choice) out. Any
collaborator may leave a project by removing themself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prisma.enums import CollaboratorRole
from prisma.errors import ForeignKeyViolationError, UniqueViolationError
from resolvers.access import ProjectAccess, project_access, require_user
from resolvers.errors import ForbiddenError, NotFoundError, ValidationError
from resolvers.invalidation import touched
from resolvers.projects.reads import project_tags
from resolvers.validation import checked_id

if TYPE_CHECKING:
    from prisma.models import Project, ProjectCollaborator
    from resolvers.scope import RequestScope

__all__ = ["add_collaborator", "remove_collaborator", "update_collaborator_role"]

ADMIN = CollaboratorRole.ADMIN


async def _access(scope: RequestScope, project_id: str, action: str) -> ProjectAccess:
    """The viewer's access to a project they can see; `NotFoundError` otherwise."""
    require_user(scope.viewer, action)
    project = await scope.loaders.project_by_id.load(project_id)
    access = None if project is None else await project_access(scope, project)
    if access is None or not access.can_read:
        raise NotFoundError("project", project_id)
    return access


def _require_manager(access: ProjectAccess, *, admin_involved: bool) -> None:
    if not access.can_administer:
        raise ForbiddenError(
            "Only the project's owner or an ADMIN collaborator may manage its collaborators."
        )
    if admin_involved and access.role != "OWNER":
        raise ForbiddenError("Only the project's owner may grant, change or remove the ADMIN role.")


async def _current(scope: RequestScope, project_id: str, user_id: str) -> ProjectCollaborator:
    collaborators = await scope.loaders.collaborators_by_project_id.load(project_id)
    found = next((c for c in collaborators if c.userId == user_id), None)
    if found is None:
        raise NotFoundError("collaborator", user_id)
    return found


async def _changed(scope: RequestScope, project: Project, user_id: str) -> None:
    scope.loaders.forget_project(project.id)
    # The project's readers, and the collaborator's own `projects(filter: {mine: true})`.
    await touched(scope, [*project_tags(project), f"user:{user_id}:projects"])


async def add_collaborator(
    scope: RequestScope, project_id: str, user_id: str, role: CollaboratorRole
) -> ProjectCollaborator:
    """Give another user a role on the project (VIEWER, EDITOR or ADMIN)."""
    checked_id("userId", user_id)
    access = await _access(scope, project_id, "add collaborators")
    _require_manager(access, admin_involved=role == ADMIN)
    project = access.project
    if user_id == project.userId:
        raise ValidationError("userId", "This user owns the project: owners need no role.")
    if await scope.loaders.user_by_id.load(user_id) is None:
        raise NotFoundError("user", user_id)
    try:
        collaborator = await scope.db.projectcollaborator.create(
            data={
                "role": role,
                "project": {"connect": {"id": project.id}},
                "user": {"connect": {"id": user_id}},
            }
        )
    except UniqueViolationError:
        raise ValidationError(
            "userId", "This user collaborates on the project already: use updateCollaboratorRole."
        ) from None
    except ForeignKeyViolationError:  # the project or the user was deleted since we looked
        raise NotFoundError("project", project_id) from None
    await _changed(scope, project, user_id)
    return collaborator


async def update_collaborator_role(
    scope: RequestScope, project_id: str, user_id: str, role: CollaboratorRole
) -> ProjectCollaborator:
    checked_id("userId", user_id)
    access = await _access(scope, project_id, "change collaborators' roles")
    current = await _current(scope, project_id, user_id)
    _require_manager(access, admin_involved=ADMIN in (role, current.role))
    if current.role == role:
        return current
    updated = await scope.db.projectcollaborator.update(
        where={"id": current.id}, data={"role": role}
    )
    if updated is None:
        raise NotFoundError("collaborator", user_id)
    await _changed(scope, access.project, user_id)
    return updated


async def remove_collaborator(scope: RequestScope, project_id: str, user_id: str) -> Project | None:
    """Take a collaborator's role away (or leave, with your own id). Returns the project, or
    None when the viewer may no longer see it (they left a private project)."""
    checked_id("userId", user_id)
    access = await _access(scope, project_id, "remove collaborators")
    current = await _current(scope, project_id, user_id)
    if user_id != scope.viewer.user_id:
        _require_manager(access, admin_involved=current.role == ADMIN)
    await scope.db.projectcollaborator.delete_many(
        where={"projectId": project_id, "userId": user_id}
    )
    project = access.project
    await _changed(scope, project, user_id)
    return project if (await project_access(scope, project)).can_read else None
