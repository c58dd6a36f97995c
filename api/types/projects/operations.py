"""The projects domain's queries and mutations."""

from __future__ import annotations

import strawberry

from api.types.common import Info, scope_of
from api.types.pagination import Connection, to_connection
from api.types.projects.inputs import (
    AddProjectFileInput,
    CreateProjectInput,
    PostMessageInput,
    ProjectFilterInput,
    ProjectSort,
    UpdateProjectInput,
)
from api.types.projects.objects import Message, Project, ProjectFile
from resolvers import projects as rules

__all__ = [
    "AddProjectFilePayload",
    "CreateProjectPayload",
    "LikeProjectPayload",
    "PostMessagePayload",
    "ProjectMutation",
    "ProjectQuery",
    "UnlikeProjectPayload",
    "UpdateProjectPayload",
]


@strawberry.type
class ProjectQuery:
    @strawberry.field(description="A project you may see; null if it does not exist or is private.")
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        project = await rules.resolve_project(scope_of(info), str(id))
        return None if project is None else Project.from_model(project)

    @strawberry.field(description="Public discovery, or your own projects with `mine`.")
    async def projects(
        self,
        info: Info,
        *,
        filter: ProjectFilterInput | None = None,
        sort: ProjectSort = ProjectSort.TRENDING,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Project]:
        flt = filter.to_rules() if filter is not None else rules.ProjectFilter()
        page = await rules.resolve_projects(
            scope_of(info), flt, sort.value, first=first, after=after
        )
        return to_connection(page, Project.from_model)


@strawberry.type
class CreateProjectPayload:
    project: Project


@strawberry.type
class UpdateProjectPayload:
    project: Project


@strawberry.type
class LikeProjectPayload:
    project: Project


@strawberry.type
class UnlikeProjectPayload:
    project: Project


@strawberry.type
class AddProjectFilePayload:
    file: ProjectFile


@strawberry.type
class PostMessagePayload:
    message: Message


@strawberry.type
class ProjectMutation:
    @strawberry.mutation
    async def create_project(self, info: Info, input: CreateProjectInput) -> CreateProjectPayload:
        project = await rules.create_project(scope_of(info), input.to_rules())
        return CreateProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(description="Owner, EDITOR or ADMIN collaborators.")
    async def update_project(
        self, info: Info, id: strawberry.ID, input: UpdateProjectInput
    ) -> UpdateProjectPayload:
        project = await rules.update_project(scope_of(info), str(id), input.to_rules())
        return UpdateProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(
        description="Any signed-in user who can see the project, once: liking again changes "
        "nothing."
    )
    async def like_project(self, info: Info, id: strawberry.ID) -> LikeProjectPayload:
        project = await rules.like_project(scope_of(info), str(id))
        return LikeProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(description="Take your like back; without one, nothing changes.")
    async def unlike_project(self, info: Info, id: strawberry.ID) -> UnlikeProjectPayload:
        project = await rules.unlike_project(scope_of(info), str(id))
        return UnlikeProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(description="Owner, EDITOR or ADMIN collaborators.")
    async def add_project_file(
        self, info: Info, input: AddProjectFileInput
    ) -> AddProjectFilePayload:
        file = await rules.add_project_file(scope_of(info), str(input.project_id), input.to_rules())
        return AddProjectFilePayload(file=ProjectFile.from_model(file))

    @strawberry.mutation(description="Owner, EDITOR or ADMIN collaborators.")
    async def post_message(self, info: Info, input: PostMessageInput) -> PostMessagePayload:
        message = await rules.post_message(scope_of(info), str(input.project_id), input.to_rules())
        return PostMessagePayload(message=Message.from_model(message))
