"""Arguments of the projects domain: filters, sorts, mutation inputs."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.types.enums import MessageRole, Visibility
from resolvers import projects as rules

__all__ = [
    "AddProjectFileInput",
    "CreateProjectInput",
    "PostMessageInput",
    "ProjectFilterInput",
    "ProjectSort",
    "UpdateProjectInput",
]


@strawberry.enum
class ProjectSort(Enum):
    TRENDING = "TRENDING"
    POPULAR = "POPULAR"
    MOST_FORKED = "MOST_FORKED"
    RECENT = "RECENT"
    FEATURED = "FEATURED"
    UPDATED = "UPDATED"


@strawberry.input(description="Without `mine` or `ownerId`: public discovery.")
class ProjectFilterInput:
    mine: bool = strawberry.field(
        default=False, description="Projects you own or collaborate on, of any visibility."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="One user's projects (their public ones, unless yours)."
    )
    project_type: str | None = None
    search: str | None = strawberry.field(
        default=None, description="A part of the name, any case (at most 100 characters)."
    )

    def to_rules(self) -> rules.ProjectFilter:
        return rules.ProjectFilter(
            mine=self.mine,
            owner_id=None if self.owner_id is None else str(self.owner_id),
            project_type=self.project_type,
            search=self.search,
        )


@strawberry.input
class CreateProjectInput:
    name: str = strawberry.field(description="1-200 characters.")
    description: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    project_type: str = "web"

    def to_rules(self) -> rules.ProjectDraft:
        return rules.ProjectDraft(
            name=self.name,
            description=self.description,
            visibility=self.visibility,
            project_type=self.project_type,
        )


@strawberry.input(description="Omitted (or null) fields keep their value.")
class UpdateProjectInput:
    name: str | None = None
    description: str | None = None
    visibility: Visibility | None = None
    project_type: str | None = None
    featured: bool | None = strawberry.field(default=None, description="Administrators only.")

    def to_rules(self) -> rules.ProjectChanges:
        return rules.ProjectChanges(
            name=self.name,
            description=self.description,
            visibility=self.visibility,
            project_type=self.project_type,
            featured=self.featured,
        )


@strawberry.input
class AddProjectFileInput:
    project_id: strawberry.ID
    path: str = strawberry.field(description="Relative, unique in the project, <= 500 chars.")
    content: str
    language: str

    def to_rules(self) -> rules.FileDraft:
        return rules.FileDraft(path=self.path, content=self.content, language=self.language)


@strawberry.input
class PostMessageInput:
    project_id: strawberry.ID
    content: str
    role: MessageRole = MessageRole.USER
    tokens: int = 0

    def to_rules(self) -> rules.MessageDraft:
        return rules.MessageDraft(content=self.content, role=self.role, tokens=self.tokens)
