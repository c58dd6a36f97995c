"""Project loaders: each batch is one SQL statement, results in key order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiodataloader import DataLoader

from loaders.batch import columns, grouped, ordered, storable
from prisma.models import Message, Project, ProjectCollaborator, ProjectFile

if TYPE_CHECKING:
    from prisma import Prisma

__all__ = [
    "CollaboratorsByProjectIdLoader",
    "FirstFilesByProjectIdLoader",
    "LikedByProjectAndUserIdLoader",
    "ProjectByIdLoader",
    "ProjectCounts",
    "ProjectCountsByProjectIdLoader",
    "RecentMessagesByProjectIdLoader",
]

MESSAGE_COLUMNS = {
    "id": "id",
    "projectId": "project_id",
    "userId": "user_id",
    "role": "role",
    "content": "content",
    "tokens": "tokens",
    "createdAt": "created_at",
}


FILE_COLUMNS = {
    "id": "id",
    "projectId": "project_id",
    "path": "path",
    "content": "content",
    "language": "language",
    "size": "size",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}


@dataclass(frozen=True, slots=True)
class ProjectCounts:
    files: int
    messages: int
    collaborators: int


class ProjectByIdLoader(DataLoader[str, Project | None]):
    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[Project | None]:
        wanted = [key for key in keys if storable(key)]  # one bad id must not fail the batch
        rows = await self._db.project.find_many(where={"id": {"in": wanted}}) if wanted else []
        return ordered(keys, rows, lambda row: row.id)


class ProjectCountsByProjectIdLoader(DataLoader[str, ProjectCounts]):
    """File, message and collaborator counts of each project, in one statement: three
    correlated counts, each an index-only scan of the child table's project index."""

    SQL = (
        "SELECT p.id, "
        "(SELECT count(*) FROM project_files f WHERE f.project_id = p.id)::int AS files, "
        "(SELECT count(*) FROM messages m WHERE m.project_id = p.id)::int AS messages, "
        "(SELECT count(*) FROM project_collaborators c WHERE c.project_id = p.id)::int "
        "AS collaborators FROM unnest($1::text[]) AS p(id)"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[ProjectCounts]:
        rows = await self._db.query_raw(self.SQL, keys)
        counts = {
            str(row["id"]): ProjectCounts(
                files=int(row["files"]),
                messages=int(row["messages"]),
                collaborators=int(row["collaborators"]),
            )
            for row in rows
        }
        return [counts[key] for key in keys]


class CollaboratorsByProjectIdLoader(DataLoader[str, list[ProjectCollaborator]]):
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


class FirstFilesByProjectIdLoader(DataLoader[tuple[str, int], list[ProjectFile]]):
    """The first `limit` files of each project by path, keyed by `(project_id, limit)`; one
    LATERAL statement per batch over idx_project_file_project_path, so a project with
    thousands of files costs a `limit`-row index range, not a scan of them all."""

    SQL = (
        f"SELECT {columns('f', FILE_COLUMNS)} FROM unnest($1::text[]) AS p(id) "
        "CROSS JOIN LATERAL (SELECT * FROM project_files x WHERE x.project_id = p.id "
        "ORDER BY x.path, x.id LIMIT $2) f "
        "ORDER BY f.project_id, f.path, f.id"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[tuple[str, int]]) -> list[list[ProjectFile]]:
        project_ids = sorted({project_id for project_id, _ in keys})
        limit = max(limit for _, limit in keys)
        rows = await self._db.query_raw(self.SQL, project_ids, limit, model=ProjectFile)
        groups = grouped(project_ids, rows, lambda row: row.projectId)
        per_project = dict(zip(project_ids, groups, strict=True))
        return [per_project[project_id][:limit] for project_id, limit in keys]


class LikedByProjectAndUserIdLoader(DataLoader[tuple[str, str], bool]):
    """Whether the user has liked the project, keyed by `(project_id, user_id)`; one
    primary-key lookup per batch."""

    SQL = (
        "SELECT l.project_id, l.user_id FROM project_likes l "
        "JOIN unnest($1::text[], $2::text[]) AS k(project_id, user_id) "
        "ON l.project_id = k.project_id AND l.user_id = k.user_id"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[tuple[str, str]]) -> list[bool]:
        wanted = [key for key in keys if storable(key[0]) and storable(key[1])]
        project_ids = [project_id for project_id, _ in wanted]
        user_ids = [user_id for _, user_id in wanted]
        rows = await self._db.query_raw(self.SQL, project_ids, user_ids) if wanted else []
        liked = {(str(row["project_id"]), str(row["user_id"])) for row in rows}
        return [key in liked for key in keys]


class RecentMessagesByProjectIdLoader(DataLoader[tuple[str, int], list[Message]]):
    """The newest `limit` messages of each project, keyed by `(project_id, limit)`; one
    LATERAL statement per batch over idx_message_project_created_desc."""

    SQL = (
        f"SELECT {columns('m', MESSAGE_COLUMNS)} FROM unnest($1::text[]) AS p(id) "
        "CROSS JOIN LATERAL (SELECT * FROM messages x WHERE x.project_id = p.id "
        "ORDER BY x.created_at DESC, x.id DESC LIMIT $2) m "
        "ORDER BY m.project_id, m.created_at DESC, m.id DESC"
    )

    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[tuple[str, int]]) -> list[list[Message]]:
        project_ids = sorted({project_id for project_id, _ in keys})
        limit = max(limit for _, limit in keys)
        rows = await self._db.query_raw(self.SQL, project_ids, limit, model=Message)
        groups = grouped(project_ids, rows, lambda row: row.projectId)
        per_project = dict(zip(project_ids, groups, strict=True))
        return [per_project[project_id][:limit] for project_id, limit in keys]
