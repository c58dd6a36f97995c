"""Compiled declaration of `dashboard` (`resolvers/dreams/progress.py: resolve_dashboard`): the
viewer's newest ACTIVE dreams, how many ACTIVE dreams they have and those dreams' COMPLETED
tests. Every listed dream records its tag whether or not `dreams` is selected, as the
resolver does."""

from __future__ import annotations

from api.compiled import forms, objects
from api.compiled.objects import child_type, declare, viewer_param
from api.compiled.plan import (
    Builder,
    Fragment,
    NotCompilable,
    RequestInputs,
    Resolved,
    Selected,
    json_object,
)
from loaders.cache import TTL
from resolvers.errors import ValidationError
from resolvers.pagination import page_size

__all__: list[str] = []


def _checks(builder: Builder, selected: Selected) -> str:
    """Refusals as the resolver's (sign-in, page size); the page size parameter."""
    first = selected.arg("first")

    def size(inputs: RequestInputs) -> int:
        raw = first(inputs)
        try:
            return page_size(raw if isinstance(raw, int) else None)
        except ValidationError:
            raise Resolved from None

    def signed_in(inputs: RequestInputs) -> None:
        if inputs.viewer.user_id is None:
            raise Resolved

    builder.checks.extend((signed_in, size))
    builder.tags.append(lambda inputs: [f"user:{inputs.viewer.user_id}:dreams"])
    builder.ttls.append(lambda _inputs: TTL.DASHBOARD)
    return builder.param(size, "int")


def _dashboard(builder: Builder, _root: object, selected: Selected) -> Fragment:
    size = _checks(builder, selected)
    active = f"q.user_id = {viewer_param(builder)} AND q.status = 'ACTIVE'"
    listed = (
        f"(SELECT * FROM dreams q WHERE {active} "
        f"ORDER BY q.created_at DESC, q.id DESC LIMIT {size}) d"
    )
    dashboard_type = child_type(selected)
    pairs: list[tuple[str, str]] = []
    tags = [f"(SELECT string_agg(to_json('dream:' || d.id)::text, ',') FROM {listed})"]
    for field in builder.selections(selected.details, dashboard_type):
        if field.name == "__typename":
            pairs.append((field.key, f"'\"{dashboard_type.name}\"'"))
        elif field.name == "dreams":
            order = "d.created_at DESC, d.id DESC"
            dreams = objects.listed(builder, field, "d", listed, order)
            pairs.append((field.key, dreams.json))
            tags.extend(dreams.tags)
        elif field.name in _TOTALS:
            pairs.append((field.key, forms.integer(_TOTALS[field.name].format(active=active))))
        else:
            raise NotCompilable(f"Dashboard.{field.name} has no compiled declaration")
    return Fragment(json_object(pairs), tuple(tags))


_TOTALS = {
    "dreamCount": "(SELECT count(*) FROM dreams q WHERE {active})",
    "totalTests": "(SELECT count(*) FROM ai_tests t JOIN dreams q ON q.id = t.dream_id "
    "WHERE {active} AND t.status = 'COMPLETED')",
}


declare("Query", {"dashboard": _dashboard})
