"""What AI use costs: token usage by day, model, endpoint or project; a user's spend this month
against their budget; users nearing their budget (administrators only); recording usage.

Spend is the sum of two ledgers: `token_usage` (project chats and other endpoints) and
`ai_tests.cost` (dream tests), both since the first day of the month in UTC.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from loaders.cached import cached
from resolvers.access import project_access, require_admin, require_user
from resolvers.errors import NotFoundError, ValidationError
from resolvers.idempotency import claim, fingerprint, remember
from resolvers.invalidation import touched
from resolvers.routing import on_replica
from resolvers.validation import checked_decimal, checked_int, checked_text

if TYPE_CHECKING:
    from prisma.models import TokenUsage
    from prisma.types import TokenUsageCreateInput
    from resolvers.scope import RequestScope

__all__ = [
    "Budget",
    "BudgetAlert",
    "UsageBucket",
    "UsageDraft",
    "UsageGrouping",
    "alerts_sql",
    "budget_sql",
    "record_token_usage",
    "resolve_budget_alerts",
    "resolve_my_budget",
    "resolve_token_usage",
    "usage_range",
    "usage_sql",
]

USAGE_TTL = 60
MAX_TOTAL_TOKENS = 2**31 - 1
MAX_RANGE = timedelta(days=366)


class UsageGrouping(StrEnum):
    DAY = "DAY"
    MODEL = "MODEL"
    ENDPOINT = "ENDPOINT"
    PROJECT = "PROJECT"


@dataclass(frozen=True, slots=True)
class UsageBucket:
    """`key`: the day (ISO date), model, endpoint or project id; `label` is for display."""

    key: str | None
    label: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: Decimal


@dataclass(frozen=True, slots=True)
class Budget:
    period_start: datetime
    budget: Decimal
    token_spend: Decimal
    test_spend: Decimal

    @property
    def spent(self) -> Decimal:
        return self.token_spend + self.test_spend

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def percent_used(self) -> float:
        return 0.0 if self.budget == 0 else round(float(self.spent / self.budget * 100), 2)


@dataclass(frozen=True, slots=True)
class BudgetAlert:
    user_id: str
    email: str
    name: str
    budget: Decimal
    spent: Decimal
    percent_used: float


@dataclass(frozen=True, slots=True)
class UsageDraft:
    endpoint: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: float | Decimal
    project_id: str | None = None


_GROUP_KEYS = {
    UsageGrouping.DAY: "to_char(u.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    UsageGrouping.MODEL: "u.model",
    UsageGrouping.ENDPOINT: "u.endpoint",
    UsageGrouping.PROJECT: "u.project_id",
}


def usage_sql(grouping: UsageGrouping, user: str, start: str, end: str) -> str:
    """One statement over the user's usage in [start, end) (SQL expressions, e.g. `$1`); the
    PROJECT grouping joins projects for their names."""
    project = grouping == UsageGrouping.PROJECT
    label = "coalesce(p.name, '(no project)')" if project else "coalesce(g.key, '')"
    join = "LEFT JOIN projects p ON p.id = g.key " if project else ""
    return (
        f"SELECT g.*, {label} AS label FROM (SELECT {_GROUP_KEYS[grouping]} AS key, "
        "count(*)::int AS requests, sum(u.prompt_tokens)::bigint AS prompt_tokens, "
        "sum(u.completion_tokens)::bigint AS completion_tokens, "
        "sum(u.total_tokens)::bigint AS total_tokens, sum(u.cost) AS cost "
        f"FROM token_usage u WHERE u.user_id = {user} AND u.timestamp >= {start} "
        f"AND u.timestamp < {end} "
        f"GROUP BY 1) g {join}ORDER BY g.key NULLS LAST"
    )


def _utc(field: str, value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValidationError(field, "Give times with a UTC offset, e.g. 2026-01-31T00:00:00Z.")
    try:  # near year 1 or 9999 an offset can take the time outside what UTC can express
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationError(field, "Give a time between the years 1 and 9999 in UTC.") from None


def usage_range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """[start, end) in UTC (default: the 30 days before now); `ValidationError` for times
    without an offset, outside what UTC can express, out of order or over 366 days apart."""
    end = datetime.now(UTC) if end is None else _utc("to", end)
    if start is None:
        if end - datetime.min.replace(tzinfo=UTC) < timedelta(days=30):
            raise ValidationError("to", "Give a `from` as well for times this early.")
        start = end - timedelta(days=30)
    start = _utc("from", start)
    if start >= end:
        raise ValidationError("from", "`from` must be before `to`.")
    if end - start > MAX_RANGE:
        raise ValidationError("from", "Ask for at most 366 days at a time.")
    return start, end


HIDDEN_PROJECT = "(private project)"


async def _hidden_projects(scope: RequestScope, project_ids: list[str]) -> set[str]:
    """Projects the viewer recorded usage against but may no longer read (made private, or
    the viewer left it): their names are not shown. Labels are project names, so the result
    depends on each project (a rename or a visibility change shows at once)."""
    scope.depends_on(*(f"project:{project_id}" for project_id in project_ids), ttl=USAGE_TTL)
    projects = await scope.loaders.project_by_id.load_many(project_ids)
    found = [project for project in projects if project is not None]
    accesses = await asyncio.gather(*(project_access(scope, project) for project in found))
    return {access.project.id for access in accesses if not access.can_read}


async def resolve_token_usage(
    scope: RequestScope,
    grouping: UsageGrouping,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[UsageBucket]:
    """The viewer's own token usage in [start, end) (default: the last 30 days), grouped."""
    user_id = require_user(scope.viewer, "see your token usage")
    start, end = usage_range(start, end)
    scope.depends_on(f"usage:{user_id}", ttl=USAGE_TTL)
    sql = usage_sql(grouping, "$1", "$2", "$3")
    rows = await on_replica(
        scope, "tokenUsage", lambda: scope.db.query_raw(sql, user_id, start, end)
    )
    hidden: set[str] = set()
    if grouping == UsageGrouping.PROJECT:
        hidden = await _hidden_projects(scope, [str(row["key"]) for row in rows if row["key"]])
    return [
        UsageBucket(
            key=None if row["key"] is None else str(row["key"]),
            label=HIDDEN_PROJECT if row["key"] in hidden else str(row["label"]),
            requests=int(row["requests"]),
            prompt_tokens=int(row["prompt_tokens"]),
            completion_tokens=int(row["completion_tokens"]),
            total_tokens=int(row["total_tokens"]),
            cost=Decimal(row["cost"]),
        )
        for row in rows
    ]


MONTH_START = "date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
ZERO = "0::numeric(10, 6)"


def budget_sql(user: str) -> str:
    """The user's budget and both spends this month, `user` an SQL expression (e.g. `$1`)."""
    return (
        f"SELECT u.id, u.monthly_budget AS budget, {MONTH_START} AS period_start, "
        f"(SELECT coalesce(sum(t.cost), {ZERO}) FROM token_usage t "
        f"WHERE t.user_id = u.id AND t.timestamp >= {MONTH_START}) AS token_spend, "
        f"(SELECT coalesce(sum(a.cost), {ZERO}) FROM ai_tests a "
        f"WHERE a.user_id = u.id AND a.created_at >= {MONTH_START}) AS test_spend "
        f"FROM users u WHERE u.id = {user}"
    )


async def resolve_my_budget(scope: RequestScope) -> Budget:
    user_id = require_user(scope.viewer, "see your budget")
    scope.depends_on(f"usage:{user_id}", f"user:{user_id}", ttl=USAGE_TTL)
    row = await on_replica(
        scope, "myBudget", lambda: scope.db.query_first(budget_sql("$1"), user_id)
    )
    if row is None:
        raise NotFoundError("user", user_id)
    return Budget(
        period_start=row["period_start"],
        budget=Decimal(row["budget"]),
        token_spend=Decimal(row["token_spend"]),
        test_spend=Decimal(row["test_spend"]),
    )


def alerts_sql(threshold: str) -> str:
    """Users whose spend this month is at least `threshold` (an SQL expression) percent of
    their budget, the most over first."""
    return (
        f"WITH month AS (SELECT {MONTH_START} AS s), "
        "spend AS (SELECT user_id, sum(cost) AS cost FROM token_usage, month "
        "WHERE timestamp >= month.s GROUP BY user_id UNION ALL "
        "SELECT user_id, sum(cost) FROM ai_tests, month WHERE created_at >= month.s "
        "GROUP BY user_id) "
        "SELECT u.id, u.email, u.name, u.monthly_budget AS budget, sum(s.cost) AS spent "
        "FROM spend s JOIN users u ON u.id = s.user_id GROUP BY u.id "
        f"HAVING sum(s.cost) >= u.monthly_budget * {threshold} / 100 ORDER BY sum(s.cost) / "
        "nullif(u.monthly_budget, 0) DESC NULLS FIRST, u.id"
    )


ALERTS_ADAPTER = TypeAdapter(list[BudgetAlert])


async def _alerts(scope: RequestScope, threshold: Decimal) -> list[BudgetAlert]:
    rows = await scope.db.query_raw(alerts_sql("$1"), threshold)
    alerts: list[BudgetAlert] = []
    for row in rows:
        budget, spent = Decimal(row["budget"]), Decimal(row["spent"])
        percent = 100.0 if budget == 0 else round(float(spent / budget * 100), 2)
        alerts.append(
            BudgetAlert(
                user_id=str(row["id"]),
                email=str(row["email"]),
                name=str(row["name"]),
                budget=budget,
                spent=spent,
                percent_used=percent,
            )
        )
    return alerts


async def resolve_budget_alerts(scope: RequestScope, threshold: float = 80) -> list[BudgetAlert]:
    """Users whose spend this month is at least `threshold` percent of their budget."""
    require_admin(scope.viewer, "see budget alerts")
    percent = checked_decimal("threshold", threshold, low=Decimal(0), high=Decimal(1000))
    scope.depends_on("usage", ttl=USAGE_TTL)
    return await cached(
        scope.cache,
        f"usage:budget-alerts:{percent.normalize()}",
        lambda: on_replica(scope, "budgetAlerts", lambda: _alerts(scope, percent)),
        adapter=ALERTS_ADAPTER,
        ttl=USAGE_TTL,
        tags=["usage"],
    )


async def record_token_usage(
    scope: RequestScope, draft: UsageDraft, *, idempotency_key: str | None = None
) -> TokenUsage:
    """Record one AI request's usage. With an idempotency key, a repeat of the request (same
    key, same input, within 24 hours) answers the usage the first one recorded."""
    user_id = require_user(scope.viewer, "record token usage")
    prompt = checked_int("promptTokens", draft.prompt_tokens, low=0)
    completion = checked_int("completionTokens", draft.completion_tokens, low=0)
    if prompt + completion > MAX_TOTAL_TOKENS:  # total_tokens is a 4-byte integer
        raise ValidationError(
            "completionTokens",
            f"promptTokens + completionTokens may be at most {MAX_TOTAL_TOKENS}: "
            "record the usage in smaller parts.",
        )
    data: TokenUsageCreateInput = {
        "user": {"connect": {"id": user_id}},
        "endpoint": checked_text("endpoint", draft.endpoint, max_length=100),
        "model": checked_text("model", draft.model, max_length=100),
        "promptTokens": prompt,
        "completionTokens": completion,
        "totalTokens": prompt + completion,
        "cost": checked_decimal("cost", draft.cost, low=Decimal(0), high=Decimal(9999)),
    }
    if draft.project_id is not None:
        project = await scope.loaders.project_by_id.load(draft.project_id)
        if project is None or not (await project_access(scope, project)).can_read:
            raise NotFoundError("project", draft.project_id)
        data["project"] = {"connect": {"id": draft.project_id}}
    if idempotency_key is None:
        usage = await scope.db.tokenusage.create(data=data)
    else:
        usage, replayed = await _create_once(scope, data, draft, (user_id, idempotency_key))
        if replayed:
            return usage
    await touched(scope, [f"usage:{user_id}", "usage"])
    return usage


async def _create_once(
    scope: RequestScope, data: TokenUsageCreateInput, draft: UsageDraft, key: tuple[str, str]
) -> tuple[TokenUsage, bool]:
    """The usage and whether an earlier request with `key` (user, idempotency key) recorded it."""
    user_id, key_text = key
    async with scope.db.tx() as tx:
        print_ = fingerprint("recordTokenUsage", draft)
        claimed = await claim(tx, user_id, key_text, operation="recordTokenUsage", print_=print_)
        if claimed.replay is not None:
            usage_id = str(claimed.replay.get("id"))
            usage = await tx.tokenusage.find_unique(where={"id": int(usage_id)})
            if usage is None:  # deleted since (its project or user went)
                raise NotFoundError("token usage", usage_id)
            return usage, True
        usage = await tx.tokenusage.create(data=data)
        await remember(tx, user_id, key_text, {"id": str(usage.id)})
    return usage, False
