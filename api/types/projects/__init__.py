"""GraphQL types of the projects domain."""

from __future__ import annotations

from api.types.projects.objects import Collaborator, Message, Project, ProjectFile
from api.types.projects.operations import ProjectMutation, ProjectQuery

__all__ = [
    "Collaborator",
    "Message",
    "Project",
    "ProjectFile",
    "ProjectMutation",
    "ProjectQuery",
]
