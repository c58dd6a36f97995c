"""Arguments of the projects domain: filters, sorts, mutation inputs."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.types.enums import CollaboratorRole, MessageRole, Visibility, described_enum
from resolvers import projects as rules

__all__ = [
    "AddCollaboratorInput",
    "AddProjectFileInput",
    "CreateProjectInput",
    "PostMessageInput",
    "ProjectFilterInput",
    "ProjectSort",
    "UpdateCollaboratorRoleInput",
    "UpdateProjectInput",
]


class ProjectSort(Enum):
    TRENDING = "TRENDING"
    POPULAR = "POPULAR"
    MOST_FORKED = "MOST_FORKED"
    RECENT = "RECENT"
    FEATURED = "FEATURED"
    UPDATED = "UPDATED"


described_enum(
    ProjectSort,
    "The order of a list of projects.",
    {
        "TRENDING": "Most viewed first (`recordProjectView` counts views).",
        "POPULAR": "Most liked first.",
        "MOST_FORKED": "Most forked first.",
        "RECENT": "Newest first.",
        "FEATURED": "Featured projects only, most recently changed first.",
        "UPDATED": "Most recently changed first.",
    },
)


@strawberry.input(description="Without `mine` or `ownerId`: public discovery.")
class ProjectFilterInput:
    mine: bool = strawberry.field(
        default=False, description="Projects you own or collaborate on, of any visibility."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="One user's projects (their public ones, unless yours)."
    )
    project_type: str | None = strawberry.field(
        default=None, description="Only projects of this type, e.g. `web` (any case)."
    )
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


@strawberry.input(description="A new project; you own it.")
class CreateProjectInput:
    name: str = strawberry.field(description="1-200 characters.")
    description: str | None = strawberry.field(default=None, description="At most 5000 characters.")
    visibility: Visibility = strawberry.field(
        default=Visibility.PRIVATE, description="Who may see it."
    )
    project_type: str = strawberry.field(
        default="web", description="Letters, digits, '-' and '_', at most 50; lower-cased."
    )

    def to_rules(self) -> rules.ProjectDraft:
        return rules.ProjectDraft(
            name=self.name,
            description=self.description,
            visibility=self.visibility,
            project_type=self.project_type,
        )


@strawberry.input(description="Omitted (or null) fields keep their value.")
class UpdateProjectInput:
    name: str | None = strawberry.field(default=None, description="1-200 characters.")
    description: str | None = strawberry.field(default=None, description="At most 5000 characters.")
    visibility: Visibility | None = strawberry.field(
        default=None, description="The owner and ADMIN collaborators only."
    )
    project_type: str | None = strawberry.field(
        default=None, description="Letters, digits, '-' and '_', at most 50."
    )
    featured: bool | None = strawberry.field(default=None, description="Administrators only.")

    def to_rules(self) -> rules.ProjectChanges:
        return rules.ProjectChanges(
            name=self.name,
            description=self.description,
            visibility=self.visibility,
            project_type=self.project_type,
            featured=self.featured,
        )


@strawberry.input(description="A new file in a project.")
class AddProjectFileInput:
    project_id: strawberry.ID = strawberry.field(description="A project you may edit.")
    path: str = strawberry.field(description="Relative, unique in the project, <= 500 chars.")
    content: str = strawberry.field(description="The file's text, at most 1 MB.")
    language: str = strawberry.field(description="Its language, e.g. `typescript`.")

    def to_rules(self) -> rules.FileDraft:
        return rules.FileDraft(path=self.path, content=self.content, language=self.language)


@strawberry.input(description="A new message in a project's chat.")
class PostMessageInput:
    project_id: strawberry.ID = strawberry.field(description="A project you may edit.")
    content: str = strawberry.field(description="The text, at most 100000 characters.")
    role: MessageRole = strawberry.field(
        default=MessageRole.USER, description="USER messages are signed with your name."
    )
    tokens: int = strawberry.field(default=0, description="Tokens the message counts.")

    def to_rules(self) -> rules.MessageDraft:
        return rules.MessageDraft(content=self.content, role=self.role, tokens=self.tokens)


@strawberry.input(description="Another user to work on a project.")
class AddCollaboratorInput:
    project_id: strawberry.ID = strawberry.field(description="A project you own or administer.")
    user_id: strawberry.ID = strawberry.field(description="The user to add.")
    role: CollaboratorRole = strawberry.field(
        default=CollaboratorRole.VIEWER, description="Only the owner may grant ADMIN."
    )


@strawberry.input(description="A collaborator's new role.")
class UpdateCollaboratorRoleInput:
    project_id: strawberry.ID = strawberry.field(description="A project you own or administer.")
    user_id: strawberry.ID = strawberry.field(description="The collaborator.")
    role: CollaboratorRole = strawberry.field(
        description="Only the owner may grant ADMIN or change an ADMIN's role."
    )
