"""GraphQL object types of the projects domain."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import CollaboratorRole, MessageRole, Visibility
from api.types.pagination import Connection, to_connection
from api.types.users import User, load_user
from prisma import models
from resolvers import projects as rules

__all__ = ["Message", "Project", "ProjectCollaborator", "ProjectFile"]


@strawberry.type
class ProjectFile:
    id: strawberry.ID
    path: str
    content: str
    language: str
    size: int
    updated_at: datetime

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


@strawberry.type
class Message:
    id: strawberry.ID
    role: MessageRole
    content: str
    tokens: int
    created_at: datetime
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


@strawberry.type
class ProjectCollaborator:
    role: CollaboratorRole
    since: datetime
    model: strawberry.Private[models.ProjectCollaborator]

    @classmethod
    def from_model(cls, collaborator: models.ProjectCollaborator) -> ProjectCollaborator:
        return cls(role=collaborator.role, since=collaborator.createdAt, model=collaborator)

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await load_user(info, self.model.userId)


@strawberry.type(
    description="A code project built with AI chat. PUBLIC ones are listed; UNLISTED ones are "
    "readable by id; PRIVATE ones by their owner and collaborators only."
)
class Project:
    id: strawberry.ID
    name: str
    description: str | None
    visibility: Visibility
    project_type: str
    likes: int
    forks: int
    views: int
    featured: bool
    created_at: datetime
    updated_at: datetime
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

    @strawberry.field
    async def owner(self, info: Info) -> User:
        return await load_user(info, self.model.userId)

    @strawberry.field(description="The project's files, by path.")
    async def files(
        self, info: Info, *, first: int | None = 20, after: str | None = None
    ) -> Connection[ProjectFile]:
        page = await rules.resolve_files(scope_of(info), self.model, first=first, after=after)
        return to_connection(page, ProjectFile.from_model)

    @strawberry.field(description="The project's chat, newest first.")
    async def messages(
        self, info: Info, *, first: int | None = 20, after: str | None = None
    ) -> Connection[Message]:
        page = await rules.resolve_messages(scope_of(info), self.model, first=first, after=after)
        return to_connection(page, Message.from_model)

    @strawberry.field(description="Whether you have liked it; false when signed out.")
    async def viewer_has_liked(self, info: Info) -> bool:
        return await rules.resolve_viewer_has_liked(scope_of(info), self.model)

    @strawberry.field
    async def collaborators(self, info: Info) -> list[ProjectCollaborator]:
        rows = await rules.resolve_collaborators(scope_of(info), self.model)
        return [ProjectCollaborator.from_model(row) for row in rows]

    @strawberry.field
    async def file_count(self, info: Info) -> int:
        return (await rules.resolve_project_counts(scope_of(info), self.model)).files

    @strawberry.field
    async def message_count(self, info: Info) -> int:
        return (await rules.resolve_project_counts(scope_of(info), self.model)).messages

    @strawberry.field
    async def collaborator_count(self, info: Info) -> int:
        return (await rules.resolve_project_counts(scope_of(info), self.model)).collaborators
