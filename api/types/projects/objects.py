"""GraphQL object types of the projects domain."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import CollaboratorRole, MessageRole, Visibility
from api.types.pagination import After, Connection, PageSize, to_connection
from api.types.users import User, load_user
from prisma import models
from resolvers import projects as rules

__all__ = ["Message", "Project", "ProjectCollaborator", "ProjectFile"]


@strawberry.type(description="A file of a project.")
class ProjectFile:
    id: strawberry.ID = strawberry.field(description="The file's id.")
    path: str = strawberry.field(description="Its path in the project, unique there.")
    content: str = strawberry.field(description="Its text.")
    language: str = strawberry.field(description="Its language, lower-case.")
    size: int = strawberry.field(description="Its size in bytes (UTF-8).")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_model(cls, file: models.ProjectFile) -> ProjectFile:
        return cls(
            id=strawberry.ID(file.id),
            path=file.path,
            content=file.content,
            language=file.language,
            size=file.size,
            updated_at=file.updatedAt,
        )


@strawberry.type(description="A message in a project's AI chat.")
class Message:
    id: strawberry.ID = strawberry.field(description="The message's id.")
    role: MessageRole = strawberry.field(description="Who wrote it.")
    content: str = strawberry.field(description="Its text.")
    tokens: int = strawberry.field(description="Tokens it counts.")
    created_at: datetime = strawberry.field(description="When it was posted.")
    model: strawberry.Private[models.Message]

    @classmethod
    def from_model(cls, message: models.Message) -> Message:
        return cls(
            id=strawberry.ID(message.id),
            role=message.role,
            content=message.content,
            tokens=message.tokens,
            created_at=message.createdAt,
            model=message,
        )

    @strawberry.field(description="Who wrote it; null for assistant and system messages.")
    async def author(self, info: Info) -> User | None:
        user_id = self.model.userId
        return None if user_id is None else await load_user(info, user_id)


@strawberry.type(description="Someone other than the owner who works on a project.")
class ProjectCollaborator:
    role: CollaboratorRole = strawberry.field(description="What they may do.")
    since: datetime = strawberry.field(description="When they were added.")
    model: strawberry.Private[models.ProjectCollaborator]

    @classmethod
    def from_model(cls, collaborator: models.ProjectCollaborator) -> ProjectCollaborator:
        return cls(role=collaborator.role, since=collaborator.createdAt, model=collaborator)

    @strawberry.field(description="Who they are.")
    async def user(self, info: Info) -> User:
        return await load_user(info, self.model.userId)


@strawberry.type(
    description="A code project built with AI chat. PUBLIC ones are listed; UNLISTED ones are "
    "readable by id; PRIVATE ones by their owner and collaborators only."
)
class Project:
    id: strawberry.ID = strawberry.field(description="The project's id.")
    name: str = strawberry.field(description="Its name, 1-200 characters.")
    description: str | None = strawberry.field(description="What it is; null if not given.")
    visibility: Visibility = strawberry.field(description="Who may see it.")
    project_type: str = strawberry.field(description="Its type, lower-case, e.g. `web`.")
    likes: int = strawberry.field(description="Users who liked it (`likeProject`).")
    forks: int = strawberry.field(description="Times it was forked.")
    views: int = strawberry.field(
        description="Counted views (`recordProjectView`: one per viewer per 30 minutes)."
    )
    featured: bool = strawberry.field(description="Picked by an administrator.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(
        description="When it was last edited (views and likes are not edits)."
    )
    model: strawberry.Private[models.Project]

    @classmethod
    def from_model(cls, project: models.Project) -> Project:
        return cls(
            id=strawberry.ID(project.id),
            name=project.name,
            description=project.description,
            visibility=project.visibility,
            project_type=project.projectType,
            likes=project.likes,
            forks=project.forks,
            views=project.views,
            featured=project.featured,
            created_at=project.createdAt,
            updated_at=project.updatedAt,
            model=project,
        )

    @strawberry.field(description="Who owns it.")
    async def owner(self, info: Info) -> User:
        return await load_user(info, self.model.userId)

    @strawberry.field(description="The project's files, by path.")
    async def files(
        self, info: Info, *, first: PageSize = 20, after: After = None
    ) -> Connection[ProjectFile]:
        page = await rules.resolve_files(scope_of(info), self.model, first=first, after=after)
        return to_connection(page, ProjectFile.from_model)

    @strawberry.field(description="The project's chat, newest first.")
    async def messages(
        self, info: Info, *, first: PageSize = 20, after: After = None
    ) -> Connection[Message]:
        page = await rules.resolve_messages(scope_of(info), self.model, first=first, after=after)
        return to_connection(page, Message.from_model)

    @strawberry.field(description="Whether you have liked it; false when signed out.")
    async def viewer_has_liked(self, info: Info) -> bool:
        return await rules.resolve_viewer_has_liked(scope_of(info), self.model)

    @strawberry.field(description="Everyone with a role on it besides the owner, oldest first.")
    async def collaborators(self, info: Info) -> list[ProjectCollaborator]:
        rows = await rules.resolve_collaborators(scope_of(info), self.model)
        return [ProjectCollaborator.from_model(row) for row in rows]

    @strawberry.field(description="How many files it has.")
    async def file_count(self, info: Info) -> int:
        return (await rules.resolve_project_counts(scope_of(info), self.model)).files

    @strawberry.field(description="How many chat messages it has.")
    async def message_count(self, info: Info) -> int:
        return (await rules.resolve_project_counts(scope_of(info), self.model)).messages

    @strawberry.field(description="How many collaborators it has.")
    async def collaborator_count(self, info: Info) -> int:
        return (await rules.resolve_project_counts(scope_of(info), self.model)).collaborators
