"""Compiled declarations of AI models (`api/types/models.py`): `AiModel` and `aiModels`, and
the platform analytics `modelComparison` and `categoryPerformance` (`resolvers/models.py`):
the resolvers' statements as subqueries, their averages rounded as Python rounds the floats,
with their refusals, tags and TTL."""

from __future__ import annotations

from api.compiled import forms
from api.compiled.numbers import rounded
from api.compiled.objects import (
    FieldCompiler,
    column,
    declare,
    declare_shared,
    listed,
    listed_once,
    scalar,
)
from api.compiled.plan import Builder, Fragment, RequestInputs, Resolved, Selected
from api.types.scalars import MICROS
from loaders.cache import TTL
from resolvers.errors import ValidationError
from resolvers.models import CATEGORY_SQL, model_comparison_sql
from resolvers.validation import checked_int

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
    source = f"ai_models m WHERE m.is_active OR NOT {flag}"
    return listed(builder, selected, "m", source, "m.provider, m.name")


def _average(column_name: str, places: int) -> FieldCompiler:
    """`round(float(avg), places)`, as `_model_stats` and `_category_stats` round."""
    return scalar(lambda row: forms.float_(rounded(f"{row}.{column_name}", places)))


declare(
    "ModelPerformance",
    {
        "provider": column("provider", forms.enum),
        "model": column("model", forms.string),
        "displayName": column("display_name", forms.string),
        "averageImpossibility": _average("average_impossibility", 2),
        "averageConfidence": _average("average_confidence", 2),
        "averageDurationMs": _average("average_duration_ms", 1),
        "testCount": column("test_count", forms.integer),
    },
)
declare(
    "CategoryPerformance",
    {
        "category": column("category", forms.enum),
        "dreamCount": column("dream_count", forms.integer),
        "averageImpossibility": _average("average_impossibility", 2),
        "totalTests": column("total_tests", forms.integer),
    },
)


def _platform_stats(builder: Builder, tag: str) -> None:
    """The tag and TTL the resolvers record for these platform-wide figures (the same for every
    viewer, so nothing of the viewer's is read)."""
    builder.tags.append(lambda _inputs: [tag])
    builder.ttls.append(lambda _inputs: TTL.MODEL_STATS)


def _model_comparison(builder: Builder, _root: object, selected: Selected) -> Fragment:
    """`resolve_model_comparison`; `days` out of 1-365 goes to the resolvers, which refuse it."""
    days = selected.arg("days")

    def checked(inputs: RequestInputs) -> int:
        value = days(inputs)
        try:
            return checked_int("days", value if isinstance(value, int) else 7, low=1, high=365)
        except ValidationError:
            raise Resolved from None

    builder.checks.append(checked)
    _platform_stats(builder, "models")
    row = builder.alias("x")
    source = f"({model_comparison_sql(builder.param(checked, 'int'))}) {row}"
    order = f'{row}.average_impossibility, {row}.provider::"AiProvider", {row}.model'
    return listed_once(builder, selected, row, source, order)


def _category_performance(builder: Builder, _root: object, selected: Selected) -> Fragment:
    _platform_stats(builder, "categories")
    row = builder.alias("x")
    order = f'{row}.average_impossibility, {row}.category::"DreamCategory"'
    return listed_once(builder, selected, row, f"({CATEGORY_SQL}) {row}", order)


declare(
    "Query",
    {
        "aiModels": _ai_models,
        "modelComparison": _model_comparison,
        "categoryPerformance": _category_performance,
    },
)
declare_shared("aiModels", "modelComparison", "categoryPerformance")
