"""GraphQL types of the projects domain."""

from __future__ import annotations

from api.types.projects.objects import Message, Project, ProjectCollaborator, ProjectFile
from api.types.projects.operations import ProjectMutation, ProjectQuery

__all__ = [
    "Message",
    "Project",
    "ProjectCollaborator",
    "ProjectFile",
    "ProjectMutation",
    "ProjectQuery",
]
