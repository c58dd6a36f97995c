"""Project loaders: each batch is one SQL statement, results in key order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from loaders.base import Loader
from loaders.batch import grouped, ordered, storable
from prisma.models import Message, Project, ProjectCollaborator, ProjectFile

if TYPE_CHECKING:
    from prisma import Prisma
    from prisma.types import (
        FindManyMessageArgs,
        FindManyProjectFileArgs,
        ProjectCountSelect,
        ProjectLikeWhereInput,
    )

__all__ = [
    "CollaboratorsByProjectIdLoader",
    "FirstFilesByProjectIdLoader",
    "LikedByProjectAndUserIdLoader",
    "ProjectByIdLoader",
    "ProjectCounts",
    "ProjectCountsByProjectIdLoader",
    "RecentMessagesByProjectIdLoader",
]


@dataclass(frozen=True, slots=True)
class ProjectCounts:
    files: int
    messages: int
    collaborators: int


class ProjectByIdLoader(Loader[str, Project | None]):
    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[Project | None]:
        wanted = [key for key in keys if storable(key)]  # one bad id must not fail the batch
        rows = await self._db.project.find_many(where={"id": {"in": wanted}}) if wanted else []
        return ordered(keys, rows, lambda row: row.id)


class ProjectCountsByProjectIdLoader(Loader[str, ProjectCounts]):
    """File, message and collaborator counts of each project, in one statement: relation
    `_count`s, each a correlated count over the child table's project index."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[ProjectCounts]:
        counted: ProjectCountSelect = {"files": True, "messages": True, "collaborators": True}
        projects = await self._db.project.find_many(
            where={"id": {"in": [key for key in keys if storable(key)]}},
            select={"id": True, "_count": {"select": counted}},
            relation_load_strategy="join",
        )
        counts = {
            p.id: ProjectCounts(
                files=p.count_.get("files", 0),
                messages=p.count_.get("messages", 0),
                collaborators=p.count_.get("collaborators", 0),
            )
            for p in projects
            if p.count_ is not None
        }
        empty = ProjectCounts(files=0, messages=0, collaborators=0)
        return [counts.get(key, empty) for key in keys]


class CollaboratorsByProjectIdLoader(Loader[str, list[ProjectCollaborator]]):
    """Each project's collaborators, oldest first. Access checks read the viewer's role here
    too, so a list showing collaborators costs no extra statement for them."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[list[ProjectCollaborator]]:
        rows = await self._db.projectcollaborator.find_many(
            where={"projectId": {"in": keys}},
            order=[{"projectId": "asc"}, {"createdAt": "asc"}, {"id": "asc"}],
        )
        return grouped(keys, rows, lambda row: row.projectId)


class FirstFilesByProjectIdLoader(Loader[tuple[str, int], list[ProjectFile]]):
    """The first `limit` files of each project by path, keyed by `(project_id, limit)`; one
    statement per batch (the join strategy's LATERAL over idx_project_file_project_path), so a
    project with thousands of files costs a `limit`-row index range, not a scan of them all."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[tuple[str, int]]) -> list[list[ProjectFile]]:
        files: FindManyProjectFileArgs = {
            "order_by": [{"path": "asc"}, {"id": "asc"}],
            "take": max(limit for _, limit in keys),
        }
        projects = await self._db.project.find_many(
            where={"id": {"in": sorted({p for p, _ in keys if storable(p)})}},
            select={"id": True, "files": files},
            relation_load_strategy="join",
        )
        per_project = {p.id: p.files or [] for p in projects}
        return [per_project.get(project_id, [])[:limit] for project_id, limit in keys]


class LikedByProjectAndUserIdLoader(Loader[tuple[str, str], bool]):
    """Whether the user has liked the project, keyed by `(project_id, user_id)`; one
    statement per batch over the likes' primary key."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[tuple[str, str]]) -> list[bool]:
        wanted = [key for key in keys if storable(key[0]) and storable(key[1])]
        where: ProjectLikeWhereInput = {  # a superset of the pairs (usually one viewer): kept below
            "projectId": {"in": sorted({project_id for project_id, _ in wanted})},
            "userId": {"in": sorted({user_id for _, user_id in wanted})},
        }
        rows = await self._db.projectlike.find_many(where=where) if wanted else []
        liked = {(row.projectId, row.userId) for row in rows}
        return [key in liked for key in keys]


class RecentMessagesByProjectIdLoader(Loader[tuple[str, int], list[Message]]):
    """The newest `limit` messages of each project, keyed by `(project_id, limit)`; one
    statement per batch (a LATERAL per project over idx_message_project_created_desc)."""

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[tuple[str, int]]) -> list[list[Message]]:
        messages: FindManyMessageArgs = {
            "order_by": [{"createdAt": "desc"}, {"id": "desc"}],
            "take": max(limit for _, limit in keys),
        }
        projects = await self._db.project.find_many(
            where={"id": {"in": sorted({p for p, _ in keys if storable(p)})}},
            select={"id": True, "messages": messages},
            relation_load_strategy="join",
        )
        per_project = {p.id: p.messages or [] for p in projects}
        return [per_project.get(project_id, [])[:limit] for project_id, limit in keys]
