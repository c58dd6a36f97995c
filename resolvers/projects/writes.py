"""Changing projects: create, update, delete, add files, post messages (likes: `likes.py`,
collaborators: `collaborators.py`, views: `views.py`).

Adding a file or posting a message is an edit of the project: its `updatedAt` moves with the
change, in the same transaction, so the UPDATED and FEATURED lists show it first. Likes and
views are not edits and leave it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prisma.enums import MessageRole, Visibility
from prisma.errors import UniqueViolationError
from resolvers.access import ProjectAccess, project_access, require_user, writable_project
from resolvers.errors import ForbiddenError, NotFoundError, ValidationError
from resolvers.invalidation import touched
from resolvers.projects.reads import project_tags
from resolvers.scope import ViewerRole
from resolvers.validation import checked_int, checked_storable, checked_text

if TYPE_CHECKING:
    from prisma import Prisma
    from prisma.models import Message, Project, ProjectFile
    from prisma.types import (
        MessageCreateInput,
        ProjectCreateInput,
        ProjectFileCreateInput,
        ProjectUpdateInput,
    )
    from resolvers.scope import RequestScope

__all__ = [
    "FileDraft",
    "MessageDraft",
    "ProjectChanges",
    "ProjectDraft",
    "add_project_file",
    "create_project",
    "delete_project",
    "post_message",
    "update_project",
]

MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class ProjectDraft:
    name: str
    description: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    project_type: str = "web"


@dataclass(frozen=True, slots=True)
class ProjectChanges:
    """None leaves a field as it is."""

    name: str | None = None
    description: str | None = None
    visibility: Visibility | None = None
    project_type: str | None = None
    featured: bool | None = None


@dataclass(frozen=True, slots=True)
class FileDraft:
    path: str
    content: str
    language: str


@dataclass(frozen=True, slots=True)
class MessageDraft:
    content: str
    role: MessageRole = MessageRole.USER
    tokens: int = 0


def _project_type(value: str) -> str:
    text = checked_text("projectType", value, max_length=50)
    if not text.replace("-", "").replace("_", "").isalnum():
        raise ValidationError("projectType", "Use letters, digits, '-' and '_' only.")
    return text.lower()


async def create_project(scope: RequestScope, draft: ProjectDraft) -> Project:
    user_id = require_user(scope.viewer, "create a project")
    data: ProjectCreateInput = {
        "owner": {"connect": {"id": user_id}},
        "name": checked_text("name", draft.name, max_length=200),
        "visibility": draft.visibility,
        "projectType": _project_type(draft.project_type),
    }
    if draft.description is not None:
        data["description"] = checked_text(
            "description", draft.description, max_length=5000, required=False
        )
    project = await scope.db.project.create(data=data)
    await touched(scope, project_tags(project))
    return project


def _changes_data(changes: ProjectChanges) -> ProjectUpdateInput:
    data: ProjectUpdateInput = {}
    if changes.name is not None:
        data["name"] = checked_text("name", changes.name, max_length=200)
    if changes.description is not None:
        data["description"] = checked_text(
            "description", changes.description, max_length=5000, required=False
        )
    if changes.project_type is not None:
        data["projectType"] = _project_type(changes.project_type)
    if changes.visibility is not None:
        data["visibility"] = changes.visibility
    if changes.featured is not None:
        data["featured"] = changes.featured
    return data


async def _updatable_project(
    scope: RequestScope, project_id: str, changes: ProjectChanges
) -> ProjectAccess:
    if changes.featured is not None and scope.viewer.role != ViewerRole.ADMIN:
        raise ForbiddenError("Only platform administrators may feature a project.")
    featuring_only = changes == ProjectChanges(featured=changes.featured)
    if featuring_only and scope.viewer.role == ViewerRole.ADMIN:
        project = await scope.loaders.project_by_id.load(project_id)
        if project is None or not (await project_access(scope, project)).can_read:
            raise NotFoundError("project", project_id)
        return ProjectAccess(project, "PLATFORM_ADMIN")
    access = await writable_project(scope, project_id, "edit this project")
    if changes.visibility is not None and not access.can_administer:
        raise ForbiddenError(
            "Only the project's owner or an ADMIN collaborator may change its visibility."
        )
    return access


async def update_project(scope: RequestScope, project_id: str, changes: ProjectChanges) -> Project:
    """Owners and EDITOR/ADMIN collaborators may edit; only the owner or an ADMIN collaborator
    may change the visibility; only platform administrators may feature a project."""
    data = _changes_data(changes)
    access = await _updatable_project(scope, project_id, changes)
    if not data:
        return access.project
    updated = await scope.db.project.update(where={"id": project_id}, data=data)
    if updated is None:
        raise NotFoundError("project", project_id)
    scope.loaders.forget_project(project_id)
    await touched(scope, {*project_tags(access.project), *project_tags(updated)})
    return updated


async def delete_project(scope: RequestScope, project_id: str) -> Project:
    """Delete the project with its files, messages, collaborators, likes and views (owner
    only). Token usage recorded for it stays, outside any project."""
    user_id = require_user(scope.viewer, "delete a project")
    project = await scope.loaders.project_by_id.load(project_id)
    access = None if project is None else await project_access(scope, project)
    if project is None or access is None or not access.can_read:
        raise NotFoundError("project", project_id)
    if project.userId != user_id:
        raise ForbiddenError("Only the project's owner may delete it.")
    collaborators = await scope.loaders.collaborators_by_project_id.load(project.id)
    deleted = await scope.db.project.delete_many(where={"id": project.id, "userId": user_id})
    if deleted == 0:
        raise NotFoundError("project", project_id)
    scope.loaders.forget_project(project.id)
    # Its readers (usage grouped by project is tagged with it too) and its collaborators' lists.
    members = [f"user:{c.userId}:projects" for c in collaborators]
    await touched(scope, [*project_tags(project), *members])
    return project


def _file_data(draft: FileDraft, project_id: str) -> ProjectFileCreateInput:
    path = checked_text("path", draft.path, max_length=500)
    if path.startswith("/") or ".." in path.split("/"):
        raise ValidationError("path", "Use a relative path inside the project, without '..'.")
    size = len(checked_storable("content", draft.content).encode())
    if size > MAX_FILE_BYTES:
        raise ValidationError("content", f"Files may hold at most {MAX_FILE_BYTES} bytes.")
    language = checked_text("language", draft.language, max_length=50).lower()
    return {
        "path": path,
        "content": draft.content,
        "language": language,
        "size": size,
        "project": {"connect": {"id": project_id}},
    }


async def _edited(tx: Prisma, project_id: str) -> None:
    await tx.project.update(where={"id": project_id}, data={"updatedAt": datetime.now(UTC)})


async def add_project_file(scope: RequestScope, project_id: str, draft: FileDraft) -> ProjectFile:
    data = _file_data(draft, project_id)
    access = await writable_project(scope, project_id, "add files to this project")
    try:
        async with scope.db.tx() as tx:
            created = await tx.projectfile.create(data=data)
            await _edited(tx, project_id)
    except UniqueViolationError:
        raise ValidationError(
            "path", f"{data['path']} already exists in this project: choose another path."
        ) from None
    scope.loaders.forget_project(project_id)
    await touched(scope, project_tags(access.project))
    return created


async def post_message(scope: RequestScope, project_id: str, draft: MessageDraft) -> Message:
    data: MessageCreateInput = {
        "content": checked_text("content", draft.content, max_length=100_000),
        "role": draft.role,
        "tokens": checked_int("tokens", draft.tokens, low=0),
        "project": {"connect": {"id": project_id}},
    }
    access = await writable_project(scope, project_id, "post messages to this project")
    if draft.role == MessageRole.USER and scope.viewer.user_id is not None:
        data["user"] = {"connect": {"id": scope.viewer.user_id}}
    async with scope.db.tx() as tx:
        message = await tx.message.create(data=data)
        await _edited(tx, project_id)
    scope.loaders.forget_project(project_id)
    await touched(scope, project_tags(access.project))
    return message
