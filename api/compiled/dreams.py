"""Compiled declarations of the dreams domain (`api/types/dreams/`): `Dream`, `AiTest`,
`ProgressLog`, and the `dream` and `dreams` queries. Access and tags follow
`resolvers/dreams/reads.py`: private dreams are null (or absent from lists) for anyone but
their owner."""

from __future__ import annotations

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
from api.compiled.objects import column, declare, id_argument, scalar, to_one, viewer_param
from api.compiled.plan import Builder, Fragment, RequestInputs, Resolved, Selected
from api.compiled.users import owner
from api.types.scalars import MICROS
from loaders.cache import TTL
from resolvers.dreams.reads import AI_TEST_ORDER, DREAM_SORTS, DreamFilter
from resolvers.errors import ValidationError
from resolvers.pagination import SortSpec
from resolvers.validation import checked_tags

__all__: list[str] = []

COMPLETED = "'COMPLETED'"


def _completed(row: str, aggregate: str) -> str:
    return (
        f"(SELECT {aggregate} FROM ai_tests s "
        f"WHERE s.dream_id = {row}.id AND s.status = {COMPLETED})"
    )


declare(
    "AiTest",
    {
        "id": column("id", forms.string),
        "provider": column("provider", forms.enum),
        "model": column("model", forms.string),
        "impossibilityScore": column("impossibility_score", forms.float_),
        "confidence": column("confidence", forms.float_),
        "reasoning": column("reasoning", forms.string),
        "durationMs": column("duration_ms", forms.integer),
        "tokensUsed": column("tokens_used", forms.integer),
        "cost": column("cost", lambda c: forms.money(c, MICROS)),
        "status": column("status", forms.enum),
        "createdAt": column("created_at", forms.timestamp),
    },
)
declare(
    "ProgressLog",
    {
        "id": column("id", forms.string),
        "averageImpossibility": column("average_impossibility", forms.float_),
        "bestScore": column("best_score", forms.float_),
        "testCount": column("test_count", forms.integer),
        "activeModels": column("active_models", forms.strings),
        "improvementTrend": column("improvement_trend", forms.float_),
        "createdAt": column("created_at", forms.timestamp),
    },
)


def _page(builder: Builder, selected: Selected, spec: SortSpec) -> tuple[str, str | None]:
    return page_arguments(builder, selected, spec, _column(spec))


def _column(spec: SortSpec) -> str:
    return "created_at" if spec.field == "createdAt" else "updated_at"


def _ai_tests(builder: Builder, row: object, selected: Selected) -> Fragment:
    size, after = _page(builder, selected, AI_TEST_ORDER)
    where = [f"q.dream_id = {row}.id"]
    if after is not None:
        where.append(after)
    status = selected.arg("status")
    if builder.planned(selected).get("status") is not None:
        where.append(f"q.status::text = {builder.param(lambda i: _name(status(i)), 'text')}")
    ordered = order("created_at", "desc")
    rows = Rows(
        sql=page(
            f"SELECT * FROM ai_tests q WHERE {' AND '.join(where)}", ordered("q"), size, few=True
        ),
        order=ordered,
        first=size,
        cursor=lambda r: cursor_text("NEWEST", forms.datetime_text(f"{r}.created_at"), f"{r}.id"),
    )
    return connection(builder, rows, selected)


def _name(value: object) -> str:
    return str(getattr(value, "value", value))


declare(
    "Dream",
    {
        "id": column("id", forms.string),
        "title": column("title", forms.string),
        "description": column("description", forms.string),
        "originalPrompt": column("original_prompt", forms.string),
        "category": column("category", forms.enum),
        "tags": column("tags", forms.strings),
        "isPublic": column("is_public", forms.boolean),
        "status": column("status", forms.enum),
        "createdAt": column("created_at", forms.timestamp),
        "updatedAt": column("updated_at", forms.timestamp),
        "owner": owner("user_id"),
        "testCount": scalar(lambda row: forms.integer(_completed(row, "count(*)"))),
        "bestScore": scalar(
            lambda row: forms.float_(_completed(row, "min(s.impossibility_score)"))
        ),
        "latestProgress": to_one(
            lambda _b, alias, row, _s: (
                f"(SELECT * FROM progress_logs p WHERE p.dream_id = "
                f"{row}.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1) {alias} WHERE true"
            )
        ),
        "aiTests": _ai_tests,
    },
)


def _dream(builder: Builder, _root: object, selected: Selected) -> Fragment:
    param = id_argument(builder, selected, tag="dream", ttl=TTL.USER_DREAMS)
    readable = _readable(builder)
    dream = to_one(
        lambda _b, alias, _row, _s: (
            f"dreams {alias} WHERE {alias}.id = {param} AND {readable.format(q=alias)}"
        )
    )
    return dream(builder, None, selected)


def _readable(builder: Builder) -> str:
    """The access predicate over `{q}`: public, or the viewer's own. Plans are per signed-in
    or anonymous viewer, so an anonymous one's is `is_public` alone, which PostgreSQL answers
    from the public dreams' index with a generic plan (`is_public OR user_id = NULL` made it
    plan every execution anew, else scan every public dream)."""
    if not builder.viewer.is_authenticated:
        return "{q}.is_public"
    return f"({{q}}.is_public OR {{q}}.user_id = {viewer_param(builder)})"


def _visibility(builder: Builder, selected: Selected, flt: DreamFilter) -> str:
    """`resolvers.dreams.reads._visibility` over `q`, with the same refusals and tags."""
    if flt.mine:
        return f"q.user_id = {scopes.mine(builder, 'dreams')}"
    if flt.owner_id is not None:
        flt_of = scopes.argument(selected, "filter", _dream_filter)
        owner = scopes.owner(builder, lambda inputs: flt_of(inputs).owner_id, "dreams")
        return f"q.user_id = {owner} AND {_readable(builder).format(q='q')}"
    builder.tags.append(
        lambda inputs: (
            ["dreams:public"]
            + ([f"user:{inputs.viewer.user_id}:dreams"] if inputs.viewer.user_id else [])
        )
    )
    return _readable(builder).format(q="q")


def _dream_filter(found: object) -> DreamFilter:
    """`DreamFilterInput.to_rules()` from the argument as graphql-core coerces it."""
    values, mine, owner_id = scopes.filter_fields(found)
    return DreamFilter(
        mine=mine,
        owner_id=owner_id,
        category=values.get("category"),
        status=values.get("status"),
        tags=tuple(values.get("tags") or ()),
    )


def _filters(builder: Builder, selected: Selected, flt: DreamFilter) -> list[str]:
    flt_of = scopes.argument(selected, "filter", _dream_filter)
    where: list[str] = []
    if flt.category is not None:
        param = builder.param(lambda i: _name(flt_of(i).category), '"DreamCategory"')
        where.append(f"q.category = {param}")
    if flt.status is not None:
        param = builder.param(lambda i: _name(flt_of(i).status), '"DreamStatus"')
        where.append(f"q.status = {param}")
    if flt.tags:

        def tags(inputs: RequestInputs) -> list[str]:
            try:
                return checked_tags("filter.tags", list(flt_of(inputs).tags))
            except ValidationError:
                raise Resolved from None

        builder.checks.append(tags)
        where.append(f"q.tags && {builder.param(tags, 'text[]')}")
    return where


def _dreams(builder: Builder, root: object, selected: Selected) -> Fragment:
    planned = builder.planned(selected)
    spec = DREAM_SORTS[_name(planned.get("sort") or "RECENT")]
    flt = _dream_filter(planned.get("filter"))
    size, after = _page(builder, selected, spec)
    builder.ttls.append(lambda _inputs: TTL.USER_DREAMS)
    where = [_visibility(builder, selected, flt), *_filters(builder, selected, flt)]
    if after is not None:
        where.append(after)
    rows = table_rows(
        "dreams",
        where,
        sort=spec.name,
        column=_column(spec),
        direction=spec.direction,
        size=size,
        key=forms.datetime_text,
        tag="dream",
        few=flt.mine or flt.owner_id is not None,  # one user's dreams
    )
    return connection(builder, rows, selected, root=root is None)


declare("Query", {"dream": _dream, "dreams": _dreams})
