"""The projects domain: projects, their files, chat messages and collaborators."""

from __future__ import annotations

from resolvers.projects.collaborators import (
    add_collaborator,
    remove_collaborator,
    update_collaborator_role,
)
from resolvers.projects.likes import like_project, resolve_viewer_has_liked, unlike_project
from resolvers.projects.reads import (
    ProjectFilter,
    resolve_collaborators,
    resolve_files,
    resolve_messages,
    resolve_project,
    resolve_project_counts,
    resolve_projects,
)
from resolvers.projects.views import RecordedView, record_project_view
from resolvers.projects.writes import (
    FileDraft,
    MessageDraft,
    ProjectChanges,
    ProjectDraft,
    add_project_file,
    create_project,
    delete_project,
    post_message,
    update_project,
)

__all__ = [
    "FileDraft",
    "MessageDraft",
    "ProjectChanges",
    "ProjectDraft",
    "ProjectFilter",
    "RecordedView",
    "add_collaborator",
    "add_project_file",
    "create_project",
    "delete_project",
    "like_project",
    "post_message",
    "record_project_view",
    "remove_collaborator",
    "resolve_collaborators",
    "resolve_files",
    "resolve_messages",
    "resolve_project",
    "resolve_project_counts",
    "resolve_projects",
    "resolve_viewer_has_liked",
    "unlike_project",
    "update_collaborator_role",
    "update_project",
]
