"""GraphQL types of the usage domain: token usage, budgets, budget alerts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from api.types.common import Info, scope_of
from api.types.users import User, load_user
from resolvers import usage as rules
from resolvers.usage import UsageGrouping

__all__ = [
    "Budget",
    "BudgetAlert",
    "RecordTokenUsageInput",
    "RecordTokenUsagePayload",
    "UsageBucket",
    "UsageMutation",
    "UsageQuery",
]

strawberry.enum(UsageGrouping, name="UsageGroupBy")


@strawberry.type
class UsageBucket:
    key: str | None = strawberry.field(
        description="The UTC day (YYYY-MM-DD), model, endpoint or project id; null for usage "
        "outside any project."
    )
    label: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost: Decimal


@strawberry.type(description="Your spend since the first day of this month (UTC).")
class Budget:
    period_start: datetime
    budget: Decimal
    spent: Decimal
    token_spend: Decimal = strawberry.field(description="From recorded token usage.")
    test_spend: Decimal = strawberry.field(description="From your dreams' AI tests.")
    remaining: Decimal
    percent_used: float


@strawberry.type
class BudgetAlert:
    budget: Decimal
    spent: Decimal
    percent_used: float
    user_id: strawberry.Private[str]

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await load_user(info, self.user_id)


@strawberry.input
class RecordTokenUsageInput:
    endpoint: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: Decimal
    project_id: strawberry.ID | None = None


@strawberry.type
class RecordTokenUsagePayload:
    id: strawberry.ID
    total_tokens: int
    cost: Decimal
    timestamp: datetime


@strawberry.type
class UsageQuery:
    @strawberry.field(description="Your token usage in [from, to) (default: the last 30 days).")
    async def token_usage(
        self,
        info: Info,
        group_by: UsageGrouping,
        *,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> list[UsageBucket]:
        rows = await rules.resolve_token_usage(scope_of(info), group_by, start=from_, end=to)
        return [
            UsageBucket(
                key=row.key,
                label=row.label,
                requests=row.requests,
                prompt_tokens=row.prompt_tokens,
                completion_tokens=row.completion_tokens,
                total_tokens=row.total_tokens,
                cost=row.cost,
            )
            for row in rows
        ]

    @strawberry.field
    async def my_budget(self, info: Info) -> Budget:
        budget = await rules.resolve_my_budget(scope_of(info))
        return Budget(
            period_start=budget.period_start,
            budget=budget.budget,
            spent=budget.spent,
            token_spend=budget.token_spend,
            test_spend=budget.test_spend,
            remaining=budget.remaining,
            percent_used=budget.percent_used,
        )

    @strawberry.field(
        description="Administrators only: users whose spend this month is at least `threshold` "
        "percent (0-1000) of their budget."
    )
    async def budget_alerts(self, info: Info, threshold: float = 80) -> list[BudgetAlert]:
        alerts = await rules.resolve_budget_alerts(scope_of(info), threshold)
        return [
            BudgetAlert(
                budget=a.budget, spent=a.spent, percent_used=a.percent_used, user_id=a.user_id
            )
            for a in alerts
        ]


@strawberry.type
class UsageMutation:
    @strawberry.mutation(description="Signed-in users; the project, if given, must be visible.")
    async def record_token_usage(
        self, info: Info, input: RecordTokenUsageInput
    ) -> RecordTokenUsagePayload:
        draft = rules.UsageDraft(
            endpoint=input.endpoint,
            model=input.model,
            prompt_tokens=input.prompt_tokens,
            completion_tokens=input.completion_tokens,
            cost=input.cost,
            project_id=None if input.project_id is None else str(input.project_id),
        )
        usage = await rules.record_token_usage(scope_of(info), draft)
        return RecordTokenUsagePayload(
            id=strawberry.ID(str(usage.id)),
            total_tokens=usage.totalTokens,
            cost=usage.cost,
            timestamp=usage.timestamp,
        )
