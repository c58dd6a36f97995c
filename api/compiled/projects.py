"""Compiled declarations of the projects domain (`api/types/projects/`): `Project`, its files,
chat messages and collaborators, and the `project` and `projects` queries (TRENDING, the
trending-projects list, is `projects`' default sort). Access and tags follow
`resolvers/projects/reads.py` and `resolvers/access.py`: a PRIVATE project is null (or absent
from lists) for anyone but its owner and its collaborators; UNLISTED ones are readable by id.

Every project a response reads records `project:{id}` (the rows of a list all do, the extra row
that tells there is a next page too), so the fields under a project, which record that same tag
on the resolvers, need none of their own."""

from __future__ import annotations

from collections.abc import Callable

from api.compiled import forms, scopes
from api.compiled.connections import (
    Rows,
    connection,
    cursor_text,
    order,
    page,
    page_arguments,
    table_rows,
)
from api.compiled.objects import (
    FieldCompiler,
    column,
    declare,
    id_argument,
    listed,
    scalar,
    to_one,
    viewer_param,
)
from api.compiled.plan import Builder, Fragment, RequestInputs, Resolved, Selected
from api.compiled.users import owner
from loaders.cache import TTL
from resolvers.errors import ValidationError
from resolvers.pagination import SortSpec
from resolvers.projects.reads import FILE_ORDER, MESSAGE_ORDER, PROJECT_SORTS, ProjectFilter
from resolvers.validation import checked_text

__all__: list[str] = []

PROJECT_TTL = TTL.PUBLIC_DISCOVERY
SORT_COLUMNS = {
    "views": "views",
    "likes": "likes",
    "forks": "forks",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}


def _count(table: str) -> FieldCompiler:
    return scalar(
        lambda row: forms.integer(f"(SELECT count(*) FROM {table} n WHERE n.project_id = {row}.id)")
    )


def _viewer_has_liked(builder: Builder, row: object, _selected: Selected) -> Fragment:
    """False for anonymous viewers (plans are per signed-in or anonymous viewer)."""
    if not builder.viewer.is_authenticated:
        return Fragment("'false'")
    viewer = viewer_param(builder)
    liked = (
        f"EXISTS (SELECT 1 FROM project_likes l WHERE l.project_id = {row}.id "
        f"AND l.user_id = {viewer})"
    )
    return Fragment(f"(CASE WHEN {liked} THEN 'true' ELSE 'false' END)")


def _collaborators(builder: Builder, row: object, selected: Selected) -> Fragment:
    """Everyone with a role on the project, oldest first (`CollaboratorsByProjectIdLoader`)."""
    alias = builder.alias("c")
    source = f"project_collaborators {alias} WHERE {alias}.project_id = {row}.id"
    return listed(builder, selected, alias, source, f"{alias}.created_at, {alias}.id")


def _child_page(
    table: str, spec: SortSpec, sort_column: str, key: Callable[[str], str], *, any_text: bool
) -> FieldCompiler:
    """A page of the project's rows of `table` in `spec`'s order (`resolve_files`,
    `resolve_messages`); `key(row)` is the SQL of a row's cursor key."""

    def compile_(builder: Builder, row: object, selected: Selected) -> Fragment:
        size, after = page_arguments(builder, selected, spec, sort_column)
        where = [f"q.project_id = {row}.id", *([after] if after is not None else [])]
        ordered = order(sort_column, spec.direction)
        rows = Rows(
            sql=page(f"SELECT * FROM {table} q WHERE {' AND '.join(where)}", ordered("q"), size),
            order=ordered,
            first=size,
            cursor=lambda r: cursor_text(spec.name, key(r), f"{r}.id", any_text=any_text),
        )
        return connection(builder, rows, selected)

    return compile_


declare(
    "ProjectFile",
    {
        "id": column("id", forms.string),
        "path": column("path", forms.string),
        "content": column("content", forms.string),
        "language": column("language", forms.string),
        "size": column("size", forms.integer),
        "updatedAt": column("updated_at", forms.timestamp),
    },
)
declare(
    "Message",
    {
        "id": column("id", forms.string),
        "role": column("role", forms.enum),
        "content": column("content", forms.string),
        "tokens": column("tokens", forms.integer),
        "createdAt": column("created_at", forms.timestamp),
        "author": owner("user_id"),  # null for assistant and system messages
    },
)
declare(
    "ProjectCollaborator",
    {
        "role": column("role", forms.enum),
        "since": column("created_at", forms.timestamp),
        "user": owner("user_id"),
    },
)
declare(
    "Project",
    {
        "id": column("id", forms.string),
        "name": column("name", forms.string),
        "description": column("description", forms.string),
        "visibility": column("visibility", forms.enum),
        "projectType": column("project_type", forms.string),
        "likes": column("likes", forms.integer),
        "forks": column("forks", forms.integer),
        "views": column("views", forms.integer),
        "featured": column("featured", forms.boolean),
        "createdAt": column("created_at", forms.timestamp),
        "updatedAt": column("updated_at", forms.timestamp),
        "owner": owner("user_id"),
        "files": _child_page(
            "project_files", FILE_ORDER, "path", lambda r: f"{r}.path", any_text=True
        ),
        "messages": _child_page(
            "messages",
            MESSAGE_ORDER,
            "created_at",
            lambda r: forms.datetime_text(f"{r}.created_at"),
            any_text=False,
        ),
        "viewerHasLiked": _viewer_has_liked,
        "collaborators": _collaborators,
        "fileCount": _count("project_files"),
        "messageCount": _count("messages"),
        "collaboratorCount": _count("project_collaborators"),
    },
)


def _readable(builder: Builder, alias: str) -> str:
    """`ProjectAccess.can_read`: not PRIVATE, or the viewer owns or collaborates on it (plans
    are per signed-in or anonymous viewer: an anonymous one's predicate binds no NULL)."""
    if not builder.viewer.is_authenticated:
        return f"{alias}.visibility <> 'PRIVATE'"
    viewer = viewer_param(builder)
    return (
        f"({alias}.visibility <> 'PRIVATE' OR {alias}.user_id = {viewer} OR EXISTS "
        f"(SELECT 1 FROM project_collaborators m WHERE m.project_id = {alias}.id "
        f"AND m.user_id = {viewer}))"
    )


def _project(builder: Builder, _root: object, selected: Selected) -> Fragment:
    param = id_argument(builder, selected, tag="project", ttl=PROJECT_TTL)
    project = to_one(
        lambda b, alias, _row, _s: (
            f"projects {alias} WHERE {alias}.id = {param} AND {_readable(b, alias)}"
        )
    )
    return project(builder, None, selected)


def _project_filter(found: object) -> ProjectFilter:
    """`ProjectFilterInput.to_rules()` from the argument as graphql-core coerces it."""
    values, mine, owner_id = scopes.filter_fields(found)
    return ProjectFilter(
        mine=mine,
        owner_id=owner_id,
        project_type=values.get("projectType"),
        search=values.get("search"),
    )


def _visibility(builder: Builder, selected: Selected, flt: ProjectFilter) -> str:
    """`resolvers.projects.reads._scope_where` over `q`, with the same refusals and tags."""
    if flt.mine:
        viewer = scopes.mine(builder, "projects")
        return (
            f"(q.user_id = {viewer} OR EXISTS (SELECT 1 FROM project_collaborators m "
            f"WHERE m.project_id = q.id AND m.user_id = {viewer}))"
        )
    if flt.owner_id is not None:
        flt_of = scopes.argument(selected, "filter", _project_filter)
        owner = scopes.owner(builder, lambda inputs: flt_of(inputs).owner_id, "projects")
        if not builder.viewer.is_authenticated:
            return f"q.user_id = {owner} AND q.visibility = 'PUBLIC'"
        viewer = viewer_param(builder)
        return f"q.user_id = {owner} AND (q.visibility = 'PUBLIC' OR q.user_id = {viewer})"
    builder.tags.append(lambda _inputs: ["projects:public"])
    return "q.visibility = 'PUBLIC'"


def _text_filter(
    builder: Builder,
    planned: str | None,
    value: Callable[[RequestInputs], str | None],
    checked: Callable[[str], str],
) -> str | None:
    """A text filter's parameter: the resolvers apply it when it is non-empty, so a request
    whose value is empty where the plan's was not (or the other way round), or that `checked`
    refuses, goes to them."""

    def check(inputs: RequestInputs) -> str | None:
        found = value(inputs)
        if bool(found) != bool(planned):
            raise Resolved
        try:
            return checked(found) if found else None
        except ValidationError:
            raise Resolved from None

    builder.checks.append(check)
    return builder.param(check, "text") if planned else None


def _like_pattern(text: str) -> str:
    """The ORM's `contains` pattern (`orm/runtime/query/filters.py`): `%`, `_`, `\\` escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(builder: Builder, selected: Selected, flt: ProjectFilter) -> list[str]:
    flt_of = scopes.argument(selected, "filter", _project_filter)
    where: list[str] = []
    project_type = _text_filter(
        builder,
        flt.project_type,
        lambda inputs: flt_of(inputs).project_type,
        lambda text: checked_text("projectType", text, max_length=50).lower(),
    )
    if project_type is not None:
        where.append(f"q.project_type = {project_type}")
    search = _text_filter(
        builder,
        flt.search,
        lambda inputs: flt_of(inputs).search,
        lambda text: _like_pattern(checked_text("search", text, max_length=100)),
    )
    if search is not None:
        where.append(f"q.name ILIKE {search} ESCAPE '\\'")
    return where


def _projects(builder: Builder, _root: object, selected: Selected) -> Fragment:
    planned = builder.planned(selected)
    sort = planned.get("sort") or "TRENDING"
    spec = PROJECT_SORTS[str(getattr(sort, "value", sort))]
    flt = _project_filter(planned.get("filter"))
    sort_column = SORT_COLUMNS[spec.field]
    size, after = page_arguments(builder, selected, spec, sort_column)
    builder.ttls.append(lambda _inputs: PROJECT_TTL)
    where = [_visibility(builder, selected, flt), *_filters(builder, selected, flt)]
    if after is not None:
        where.append(after)
    if spec.name == "FEATURED":
        where.append("q.featured")
    rows = table_rows(
        "projects",
        where,
        sort=spec.name,
        column=sort_column,
        direction=spec.direction,
        size=size,
        key=forms.datetime_text if spec.kind == "datetime" else str,
        tag="project",
        few=flt.mine or flt.owner_id is not None,  # one user's projects
    )
    return connection(builder, rows, selected, root=True)  # only on Query


declare("Query", {"project": _project, "projects": _projects})
