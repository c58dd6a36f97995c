"""Compiled declarations of AI models (`api/types/models.py`): `AiModel` and `aiModels`."""

from __future__ import annotations

from api.compiled import forms
from api.compiled.objects import column, compile_object, declare
from api.compiled.plan import Builder, Fragment, Selected
from api.types.scalars import MICROS
from loaders.cache import TTL

__all__: list[str] = []

declare(
    "AiModel",
    {
        "id": column("id", forms.string),
        "provider": column("provider", forms.enum),
        "name": column("name", forms.string),
        "displayName": column("display_name", forms.string),
        "maxTokens": column("max_tokens", forms.integer),
        "costPer1kTokens": column("cost_per_1k_tokens", lambda c: forms.money(c, MICROS)),
        "isActive": column("is_active", forms.boolean),
        "capabilities": column("capabilities", forms.strings),
    },
)


def _ai_models(builder: Builder, _root: object, selected: Selected) -> Fragment:
    """`resolve_ai_models`: by provider (the enum's order) and name, active ones unless asked."""
    builder.tags.append(lambda _inputs: ["models"])
    builder.ttls.append(lambda _inputs: TTL.MODEL_STATS)
    active_only = selected.arg("activeOnly")
    flag = builder.param(lambda inputs: active_only(inputs) is not False, "boolean")
    model = compile_object(builder, "m", selected)
    rows = f"string_agg({model.json}, ',' ORDER BY m.provider, m.name)"
    source = f"ai_models m WHERE m.is_active OR NOT {flag}"
    return Fragment(f"('[' || coalesce((SELECT {rows} FROM {source}), '') || ']')")


declare("Query", {"aiModels": _ai_models})
