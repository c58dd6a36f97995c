"""The projects domain's queries and mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.types.common import Info, scope_of
from api.types.pagination import After, Connection, PageSize, to_connection
from api.types.projects.inputs import (
    AddCollaboratorInput,
    AddProjectFileInput,
    CreateProjectInput,
    PostMessageInput,
    ProjectFilterInput,
    ProjectSort,
    UpdateCollaboratorRoleInput,
    UpdateProjectInput,
)
from api.types.projects.objects import Message, Project, ProjectCollaborator, ProjectFile
from prisma import models
from resolvers import projects as rules
from resolvers.errors import NotFoundError

__all__ = ["ProjectMutation", "ProjectQuery"]

ProjectId = Annotated[strawberry.ID, strawberry.argument(description="The project's id.")]


@strawberry.type
class ProjectQuery:
    @strawberry.field(description="A project you may see; null if it does not exist or is private.")
    async def project(self, info: Info, id: ProjectId) -> Project | None:
        project = await rules.resolve_project(scope_of(info), str(id))
        return None if project is None else Project.from_model(project)

    @strawberry.field(description="Public discovery, or your own projects with `mine`.")
    async def projects(
        self,
        info: Info,
        *,
        filter: Annotated[
            ProjectFilterInput | None, strawberry.argument(description="Narrows the list.")
        ] = None,
        sort: Annotated[ProjectSort, strawberry.argument(description="The order.")] = (
            ProjectSort.TRENDING
        ),
        first: PageSize = 20,
        after: After = None,
    ) -> Connection[Project]:
        flt = filter.to_rules() if filter is not None else rules.ProjectFilter()
        page = await rules.resolve_projects(
            scope_of(info), flt, sort.value, first=first, after=after
        )
        return to_connection(page, Project.from_model)


@strawberry.type(description="What `createProject` made.")
class CreateProjectPayload:
    project: Project = strawberry.field(description="The new project.")


@strawberry.type(description="What `updateProject` changed.")
class UpdateProjectPayload:
    project: Project = strawberry.field(description="The project as it is now.")


@strawberry.type(description="What `likeProject` did.")
class LikeProjectPayload:
    project: Project = strawberry.field(description="The project, with its like count.")


@strawberry.type(description="What `unlikeProject` did.")
class UnlikeProjectPayload:
    project: Project = strawberry.field(description="The project, with its like count.")


@strawberry.type(description="What `deleteProject` removed.")
class DeleteProjectPayload:
    deleted_id: strawberry.ID = strawberry.field(description="The id the project had.")


@strawberry.type(description="What `recordProjectView` did.")
class RecordProjectViewPayload:
    project: Project = strawberry.field(description="The project, with its view count.")
    counted: bool = strawberry.field(
        description="Whether this view was counted: false when you viewed it less than 30 "
        "minutes ago (signed in: per user; anonymous: per network address)."
    )


@strawberry.type(description="Who `addCollaborator` added.")
class AddCollaboratorPayload:
    collaborator: ProjectCollaborator = strawberry.field(description="The new collaborator.")
    project: Project = strawberry.field(description="The project.")


@strawberry.type(description="Whose role `updateCollaboratorRole` changed.")
class UpdateCollaboratorRolePayload:
    collaborator: ProjectCollaborator = strawberry.field(description="Their role now.")
    project: Project = strawberry.field(description="The project.")


@strawberry.type(description="What `removeCollaborator` did.")
class RemoveCollaboratorPayload:
    project: Project | None = strawberry.field(
        description="The project; null when you left a private project you can no longer see."
    )


@strawberry.type(description="A file `addProjectFile` created.")
class AddProjectFilePayload:
    file: ProjectFile = strawberry.field(description="The new file.")


@strawberry.type(description="A message `postMessage` posted.")
class PostMessagePayload:
    message: Message = strawberry.field(description="The new message.")


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(description="Create a project you own (sign-in required).")
    async def create_project(
        self,
        info: Info,
        input: Annotated[CreateProjectInput, strawberry.argument(description="The project.")],
    ) -> CreateProjectPayload:
        project = await rules.create_project(scope_of(info), input.to_rules())
        return CreateProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(description="Owner, EDITOR or ADMIN collaborators.")
    async def update_project(
        self,
        info: Info,
        id: ProjectId,
        input: Annotated[UpdateProjectInput, strawberry.argument(description="What to change.")],
    ) -> UpdateProjectPayload:
        project = await rules.update_project(scope_of(info), str(id), input.to_rules())
        return UpdateProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(
        description="Owner only. Deletes the project with its files, messages, collaborators, "
        "likes and views; token usage recorded for it stays, outside any project."
    )
    async def delete_project(self, info: Info, id: ProjectId) -> DeleteProjectPayload:
        project = await rules.delete_project(scope_of(info), str(id))
        return DeleteProjectPayload(deleted_id=strawberry.ID(project.id))

    @strawberry.mutation(
        description="Any signed-in user who can see the project, once: liking again changes "
        "nothing."
    )
    async def like_project(self, info: Info, id: ProjectId) -> LikeProjectPayload:
        project = await rules.like_project(scope_of(info), str(id))
        return LikeProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(description="Take your like back; without one, nothing changes.")
    async def unlike_project(self, info: Info, id: ProjectId) -> UnlikeProjectPayload:
        project = await rules.unlike_project(scope_of(info), str(id))
        return UnlikeProjectPayload(project=Project.from_model(project))

    @strawberry.mutation(
        description="Count a view of a project you can see (anyone, signed in or not): at most "
        "one per viewer every 30 minutes, across all API processes. Moves TRENDING; discovery "
        "lists show the new count within a minute."
    )
    async def record_project_view(self, info: Info, id: ProjectId) -> RecordProjectViewPayload:
        client = info.context.request.client
        view = await rules.record_project_view(
            scope_of(info), str(id), address=None if client is None else client.host
        )
        return RecordProjectViewPayload(
            project=Project.from_model(view.project), counted=view.counted
        )

    @strawberry.mutation(description="Owner or ADMIN collaborators; only the owner adds ADMINs.")
    async def add_collaborator(
        self,
        info: Info,
        input: Annotated[AddCollaboratorInput, strawberry.argument(description="Who and how.")],
    ) -> AddCollaboratorPayload:
        project_id, user_id = str(input.project_id), str(input.user_id)
        row = await rules.add_collaborator(scope_of(info), project_id, user_id, input.role)
        collaborator, project = await _collaborator(info, row)
        return AddCollaboratorPayload(collaborator=collaborator, project=project)

    @strawberry.mutation(
        description="Owner or ADMIN collaborators; only the owner grants ADMIN or changes an "
        "ADMIN's role."
    )
    async def update_collaborator_role(
        self,
        info: Info,
        input: Annotated[
            UpdateCollaboratorRoleInput, strawberry.argument(description="Who and the new role.")
        ],
    ) -> UpdateCollaboratorRolePayload:
        project_id, user_id = str(input.project_id), str(input.user_id)
        row = await rules.update_collaborator_role(scope_of(info), project_id, user_id, input.role)
        collaborator, project = await _collaborator(info, row)
        return UpdateCollaboratorRolePayload(collaborator=collaborator, project=project)

    @strawberry.mutation(
        description="Owner or ADMIN collaborators (only the owner removes an ADMIN); any "
        "collaborator may remove themself to leave."
    )
    async def remove_collaborator(
        self,
        info: Info,
        project_id: ProjectId,
        user_id: Annotated[strawberry.ID, strawberry.argument(description="The collaborator.")],
    ) -> RemoveCollaboratorPayload:
        project = await rules.remove_collaborator(scope_of(info), str(project_id), str(user_id))
        return RemoveCollaboratorPayload(
            project=None if project is None else Project.from_model(project)
        )

    @strawberry.mutation(description="Owner, EDITOR or ADMIN collaborators.")
    async def add_project_file(
        self,
        info: Info,
        input: Annotated[AddProjectFileInput, strawberry.argument(description="The file.")],
    ) -> AddProjectFilePayload:
        file = await rules.add_project_file(scope_of(info), str(input.project_id), input.to_rules())
        return AddProjectFilePayload(file=ProjectFile.from_model(file))

    @strawberry.mutation(description="Owner, EDITOR or ADMIN collaborators.")
    async def post_message(
        self,
        info: Info,
        input: Annotated[PostMessageInput, strawberry.argument(description="The message.")],
    ) -> PostMessagePayload:
        message = await rules.post_message(scope_of(info), str(input.project_id), input.to_rules())
        return PostMessagePayload(message=Message.from_model(message))


async def _collaborator(
    info: Info, row: models.ProjectCollaborator
) -> tuple[ProjectCollaborator, Project]:
    project = await rules.resolve_project(scope_of(info), row.projectId)
    if project is None:  # deleted since; the mutation's own checks saw it
        raise NotFoundError("project", row.projectId)
    return ProjectCollaborator.from_model(row), Project.from_model(project)
