"""The projects domain: projects, their files, chat messages and collaborators."""

from __future__ import annotations

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
from resolvers.projects.writes import (
    FileDraft,
    MessageDraft,
    ProjectChanges,
    ProjectDraft,
    add_project_file,
    create_project,
    post_message,
    update_project,
)

__all__ = [
    "FileDraft",
    "MessageDraft",
    "ProjectChanges",
    "ProjectDraft",
    "ProjectFilter",
    "add_project_file",
    "create_project",
    "like_project",
    "post_message",
    "resolve_collaborators",
    "resolve_files",
    "resolve_messages",
    "resolve_project",
    "resolve_project_counts",
    "resolve_projects",
    "resolve_viewer_has_liked",
    "unlike_project",
    "update_project",
]
