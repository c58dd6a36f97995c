"""Compiled declarations of the usage domain (`api/types/usage.py`): `tokenUsage`, `myBudget`,
`budgetAlerts` and the types they return.

Each reads the resolvers' own statement (`resolvers/usage.py`) as a subquery. What they refuse
(anonymous viewers, ranges, thresholds, non-administrators) goes to them (`Resolved`), so the
error is theirs. Usage and budgets are the viewer's own; a project the viewer recorded usage
against but can no longer read is labelled as `_hidden_projects` labels it. Sums the GraphQL
`Int` can't hold, and a viewer without a user row, fail the statement: the endpoint then
answers from the resolvers, with their errors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from api.compiled import forms
from api.compiled.numbers import decimal_percent, rounded
from api.compiled.objects import (
    column,
    compile_object,
    declare,
    listed_once,
    on_the_resolvers,
    scalar,
    viewer_param,
)
from api.compiled.plan import Builder, Fragment, RequestInputs, Resolved, Selected
from api.compiled.users import owner
from api.types.scalars import CENTS, MICROS
from resolvers.errors import ValidationError
from resolvers.scope import ViewerRole
from resolvers.usage import (
    HIDDEN_PROJECT,
    USAGE_TTL,
    UsageGrouping,
    alerts_sql,
    budget_sql,
    usage_range,
    usage_sql,
)
from resolvers.validation import checked_decimal

__all__: list[str] = []


def _int32(expr: str) -> str:
    """A sum as GraphQL's `Int`: over 2^31 - 1 the cast fails the statement (the resolvers'
    answer is then an error, `Int cannot represent ...`)."""
    return forms.integer(f"({expr})::int")


def _percent(spent: str, budget: str, *, when_zero: float) -> str:
    """`round(float(spent / budget * 100), 2)`, `when_zero` for a zero budget."""
    exact = rounded(decimal_percent(spent, budget), 2)
    return forms.float_(f"(CASE WHEN {budget} = 0 THEN {when_zero}::float8 ELSE {exact} END)")


declare(
    "UsageBucket",
    {
        "key": column("key", forms.string),
        "label": column("label", forms.string),
        "requests": column("requests", forms.integer),
        "promptTokens": column("prompt_tokens", _int32),
        "completionTokens": column("completion_tokens", _int32),
        "totalTokens": column("total_tokens", _int32),
        "cost": column("cost", lambda c: forms.money(c, MICROS)),
    },
)


def _spent(row: str) -> str:
    return f"({row}.token_spend + {row}.test_spend)"


declare(
    "Budget",
    {
        "periodStart": column("period_start", forms.timestamp),
        "budget": column("budget", lambda c: forms.money(c, CENTS)),
        "spent": scalar(lambda row: forms.money(_spent(row), MICROS)),
        "tokenSpend": column("token_spend", lambda c: forms.money(c, MICROS)),
        "testSpend": column("test_spend", lambda c: forms.money(c, MICROS)),
        "remaining": scalar(lambda row: forms.money(f"{row}.budget - {_spent(row)}", MICROS)),
        "percentUsed": scalar(lambda row: _percent(_spent(row), f"{row}.budget", when_zero=0.0)),
    },
)
declare(
    "BudgetAlert",
    {
        "budget": column("budget", lambda c: forms.money(c, CENTS)),
        "spent": column("spent", lambda c: forms.money(c, MICROS)),
        "percentUsed": scalar(
            lambda row: _percent(f"{row}.spent", f"{row}.budget", when_zero=100.0)
        ),
        "user": owner("id"),
    },
)


def _signed_in(inputs: RequestInputs) -> None:
    if inputs.viewer.user_id is None:
        raise Resolved


def _own_usage(builder: Builder, *tags: str) -> str:
    """Sign-in required; `usage:{viewer}` (and `{tag}:{viewer}`) recorded for USAGE_TTL; the
    viewer's id as a parameter."""
    builder.checks.append(_signed_in)
    builder.tags.append(
        lambda inputs: [f"{tag}:{inputs.viewer.user_id}" for tag in ("usage", *tags)]
    )
    builder.ttls.append(lambda _inputs: USAGE_TTL)
    return viewer_param(builder)


def _window(selected: Selected) -> Callable[[RequestInputs], list[datetime]]:
    """[from, to) as `resolve_token_usage` reads it; a range it refuses goes to it."""
    start, end = selected.arg("from"), selected.arg("to")

    def window(inputs: RequestInputs) -> list[datetime]:
        try:
            return list(usage_range(_time(start(inputs)), _time(end(inputs))))
        except ValidationError:
            raise Resolved from None

    return window


def _time(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _hidden(key: str, viewer: str) -> str:
    """`_hidden_projects`: a project that exists, is private, and the viewer neither owns nor
    collaborates on."""
    return (
        f"EXISTS (SELECT 1 FROM projects p WHERE p.id = {key} AND p.visibility = 'PRIVATE' "
        f"AND p.user_id <> {viewer} AND NOT EXISTS (SELECT 1 FROM project_collaborators c "
        f"WHERE c.project_id = p.id AND c.user_id = {viewer}))"
    )


def _token_usage(builder: Builder, _root: object, selected: Selected) -> Fragment:
    planned = builder.planned(selected).get("groupBy")
    grouping = UsageGrouping(str(getattr(planned, "value", planned)))
    viewer = _own_usage(builder)
    window = _window(selected)
    builder.checks.append(window)
    span = builder.param(window, "timestamptz[]")
    sql = usage_sql(grouping, viewer, f"({span})[1]", f"({span})[2]")
    label = "g.label"
    if grouping == UsageGrouping.PROJECT:
        label = f"CASE WHEN {_hidden('g.key', viewer)} THEN '{HIDDEN_PROJECT}' ELSE g.label END"
    row = builder.alias("x")
    source = (
        f"(SELECT g.key, g.requests, g.prompt_tokens, g.completion_tokens, g.total_tokens, "
        f"g.cost, {label} AS label FROM ({sql}) g) {row}"
    )
    project = f"to_json('project:' || {row}.key)::text"  # NULL outside projects
    tag = project if grouping == UsageGrouping.PROJECT else None
    return listed_once(builder, selected, row, source, f"{row}.key NULLS LAST", row_tag=tag)


def _my_budget(builder: Builder, _root: object, selected: Selected) -> Fragment:
    viewer = _own_usage(builder, "user")
    row = builder.alias("b")
    budget = compile_object(builder, row, selected)
    # OFFSET 0: each spend is summed once, not once per field that reads it
    source = f"({budget_sql(viewer)} OFFSET 0) {row}"
    return Fragment(on_the_resolvers(f"(SELECT {budget.json} FROM {source})"), budget.tags)


def _budget_alerts(builder: Builder, _root: object, selected: Selected) -> Fragment:
    threshold = selected.arg("threshold")

    def admin(inputs: RequestInputs) -> None:
        if inputs.viewer.user_id is None or inputs.viewer.role != ViewerRole.ADMIN:
            raise Resolved

    def percent(inputs: RequestInputs) -> Decimal:
        value = threshold(inputs)
        try:
            number = value if isinstance(value, int | float) else float("nan")
            return checked_decimal("threshold", number, low=Decimal(0), high=Decimal(1000))
        except ValidationError:
            raise Resolved from None

    builder.checks.extend((admin, percent))
    builder.tags.append(lambda _inputs: ["usage"])
    builder.ttls.append(lambda _inputs: USAGE_TTL)
    row = builder.alias("x")
    source = f"({alerts_sql(builder.param(percent, 'numeric'))}) {row}"
    order = f"{row}.spent / nullif({row}.budget, 0) DESC NULLS FIRST, {row}.id"
    return listed_once(builder, selected, row, source, order)


declare(
    "Query",
    {"tokenUsage": _token_usage, "myBudget": _my_budget, "budgetAlerts": _budget_alerts},
)
