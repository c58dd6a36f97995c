"""Reading projects: discovery lists, one project, its files, messages and collaborators."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from pydantic import TypeAdapter

from loaders.cache import TTL
from loaders.cached import cached
from loaders.projects import ProjectCounts
from prisma.enums import Visibility
from prisma.models import Project
from resolvers.access import project_access, require_user
from resolvers.pagination import (
    Page,
    PageRequest,
    SortSpec,
    build_page,
    keyset_where,
    order_by,
    page_request,
)
from resolvers.routing import on_replica
from resolvers.validation import checked_id, checked_text

if TYPE_CHECKING:
    from prisma.models import Message, ProjectCollaborator, ProjectFile
    from prisma.types import (
        MessageOrderByInput,
        MessageWhereInput,
        ProjectFileOrderByInput,
        ProjectFileWhereInput,
        ProjectOrderByInput,
        ProjectWhereInput,
    )
    from resolvers.scope import RequestScope

__all__ = [
    "FILE_ORDER",
    "MESSAGE_ORDER",
    "PROJECT_SORTS",
    "ProjectFilter",
    "project_tags",
    "resolve_collaborators",
    "resolve_files",
    "resolve_messages",
    "resolve_project",
    "resolve_project_counts",
    "resolve_projects",
]

PROJECT_SORTS = {
    "TRENDING": SortSpec("TRENDING", "views", "desc", "int"),
    "POPULAR": SortSpec("POPULAR", "likes", "desc", "int"),
    "MOST_FORKED": SortSpec("MOST_FORKED", "forks", "desc", "int"),
    "RECENT": SortSpec("RECENT", "createdAt", "desc", "datetime"),
    "FEATURED": SortSpec("FEATURED", "updatedAt", "desc", "datetime"),
    "UPDATED": SortSpec("UPDATED", "updatedAt", "desc", "datetime"),
}
MESSAGE_ORDER = SortSpec("NEWEST", "createdAt", "desc", "datetime")
FILE_ORDER = SortSpec("PATH", "path", "asc", "str")
PROJECTS_ADAPTER = TypeAdapter(list[Project])


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """`mine`: projects the viewer owns or collaborates on (any visibility); `owner_id`: one
    user's projects (public ones, unless the viewer's own); otherwise public discovery.
    `search`: a case-insensitive part of the name (ILIKE, served by the trigram index)."""

    mine: bool = False
    owner_id: str | None = None
    project_type: str | None = None
    search: str | None = None


def project_tags(project: Project) -> list[str]:
    tags = [f"project:{project.id}", f"user:{project.userId}:projects"]
    if project.visibility == Visibility.PUBLIC:
        tags.append("projects:public")
    return tags


async def resolve_project(scope: RequestScope, project_id: str) -> Project | None:
    """The project, or None when it does not exist or is private and the viewer is neither
    its owner nor a collaborator. UNLISTED projects are readable by anyone with the id."""
    scope.depends_on(f"project:{project_id}", ttl=TTL.PUBLIC_DISCOVERY)
    project = await scope.loaders.project_by_id.load(project_id)
    if project is None:
        return None
    access = await project_access(scope, project)
    return project if access.can_read else None


def _scope_where(scope: RequestScope, flt: ProjectFilter) -> dict[str, object] | None:
    """The visibility `where` for a personal list; None for public discovery."""
    me = scope.viewer.user_id
    if flt.mine:
        me = require_user(scope.viewer, "list your own projects")
        scope.depends_on(f"user:{me}:projects", ttl=TTL.PUBLIC_DISCOVERY)
        return {"OR": [{"userId": me}, {"collaborators": {"some": {"userId": me}}}]}
    if flt.owner_id is not None:
        checked_id("filter.ownerId", flt.owner_id)
        scope.depends_on(f"user:{flt.owner_id}:projects", ttl=TTL.PUBLIC_DISCOVERY)
        if flt.owner_id == me:
            return {"userId": me}
        return {"userId": flt.owner_id, "visibility": Visibility.PUBLIC}
    return None


async def _fetch(
    scope: RequestScope,
    where: Sequence[Mapping[str, object]],
    spec: SortSpec,
    *,
    request: PageRequest,
) -> list[Project]:
    clauses = [*where, keyset_where(spec, request.after)]
    if spec.name == "FEATURED":
        clauses.append({"featured": True})
    return await scope.db.project.find_many(
        where=cast("ProjectWhereInput", {"AND": [c for c in clauses if c]}),
        order=cast("list[ProjectOrderByInput]", order_by(spec)),
        take=request.first + 1,
    )


def _discovery_key(spec: SortSpec, flt: ProjectFilter, *, first: int, after: str | None) -> str:
    search = hashlib.sha256((flt.search or "").encode()).hexdigest()[:16] if flt.search else ""
    project_type = (flt.project_type or "*").strip().lower()[:50]
    return f"projects:public:{spec.name}:{project_type}:{search}:{first}:{after or ''}"


async def resolve_projects(
    scope: RequestScope,
    flt: ProjectFilter,
    sort: str = "TRENDING",
    *,
    first: int | None = None,
    after: str | None = None,
) -> Page[Project]:
    """Project lists. Public discovery (no `mine`/`owner_id`) is the same for everyone, so each
    page is cached for a minute under `projects:public`."""
    spec = PROJECT_SORTS[sort]
    request = page_request(first, after, spec)
    type_where: list[Mapping[str, object]] = []
    if flt.project_type:
        project_type = checked_text("projectType", flt.project_type, max_length=50).lower()
        type_where.append({"projectType": project_type})
    if flt.search:
        text = checked_text("search", flt.search, max_length=100)
        type_where.append({"name": {"contains": text, "mode": "insensitive"}})
    personal = _scope_where(scope, flt)
    if personal is not None:
        rows = await _fetch(scope, [personal, *type_where], spec, request=request)
    else:
        scope.depends_on("projects:public", ttl=TTL.PUBLIC_DISCOVERY)
        public: list[Mapping[str, object]] = [{"visibility": Visibility.PUBLIC}, *type_where]
        rows = await cached(
            scope.cache,
            _discovery_key(spec, flt, first=request.first, after=after),
            lambda: on_replica(
                scope, "projects", lambda: _fetch(scope, public, spec, request=request)
            ),
            adapter=PROJECTS_ADAPTER,
            ttl=TTL.PUBLIC_DISCOVERY,
            tags=["projects:public"],
        )
    for row in rows:
        scope.depends_on(f"project:{row.id}", ttl=TTL.PUBLIC_DISCOVERY)
        scope.loaders.project_by_id.prime(row.id, row)
    return build_page(
        rows, request, spec, key_of=lambda p: getattr(p, spec.field), id_of=lambda p: p.id
    )


async def resolve_project_counts(scope: RequestScope, project: Project) -> ProjectCounts:
    scope.depends_on(f"project:{project.id}", ttl=TTL.PUBLIC_DISCOVERY)
    return await scope.loaders.project_counts_by_project_id.load(project.id)


async def resolve_collaborators(scope: RequestScope, project: Project) -> list[ProjectCollaborator]:
    scope.depends_on(f"project:{project.id}", ttl=TTL.PUBLIC_DISCOVERY)
    return await scope.loaders.collaborators_by_project_id.load(project.id)


async def resolve_files(
    scope: RequestScope, project: Project, *, first: int | None = None, after: str | None = None
) -> Page[ProjectFile]:
    """A project's files by path. The first page of every project in a list comes from one
    batched statement; `after` pages run one statement each."""
    scope.depends_on(f"project:{project.id}", ttl=TTL.PUBLIC_DISCOVERY)
    spec = FILE_ORDER
    request = page_request(first, after, spec)
    if request.after is None:
        key = (project.id, request.first + 1)
        rows = await scope.loaders.first_files_by_project_id.load(key)
    else:
        where = {"AND": [{"projectId": project.id}, keyset_where(spec, request.after)]}
        rows = await scope.db.projectfile.find_many(
            where=cast("ProjectFileWhereInput", where),
            order=cast("list[ProjectFileOrderByInput]", order_by(spec)),
            take=request.first + 1,
        )
    return build_page(rows, request, spec, key_of=lambda f: f.path, id_of=lambda f: f.id)


async def resolve_messages(
    scope: RequestScope, project: Project, *, first: int | None = None, after: str | None = None
) -> Page[Message]:
    """A project's chat, newest first; `after` pages back in time."""
    scope.depends_on(f"project:{project.id}", ttl=TTL.PUBLIC_DISCOVERY)
    spec = MESSAGE_ORDER
    request = page_request(first, after, spec)
    if request.after is None:
        key = (project.id, request.first + 1)
        rows = await scope.loaders.recent_messages_by_project_id.load(key)
    else:
        where = {"AND": [{"projectId": project.id}, keyset_where(spec, request.after)]}
        rows = await scope.db.message.find_many(
            where=cast("MessageWhereInput", where),
            order=cast("list[MessageOrderByInput]", order_by(spec)),
            take=request.first + 1,
        )
    return build_page(rows, request, spec, key_of=lambda m: m.createdAt, id_of=lambda m: m.id)
