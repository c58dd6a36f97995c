"""GraphQL types of the usage domain: token usage, budgets, budget alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import described_enum
from api.types.idempotency import KEY_DESCRIPTION, idempotency_key
from api.types.scalars import CENTS, MICROS, Money, money
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

described_enum(
    UsageGrouping,
    "How `tokenUsage` groups your usage.",
    {
        "DAY": "Per UTC day, oldest first.",
        "MODEL": "Per model, most expensive first.",
        "ENDPOINT": "Per API endpoint, most expensive first.",
        "PROJECT": "Per project (usage outside projects together), most expensive first.",
    },
    name="UsageGroupBy",
)


@strawberry.type(description="Token usage of one day, model, endpoint or project.")
class UsageBucket:
    key: str | None = strawberry.field(
        description="The UTC day (YYYY-MM-DD), model, endpoint or project id; null for usage "
        "outside any project."
    )
    label: str = strawberry.field(description="The key for people (a project's name).")
    requests: int = strawberry.field(description="Recorded requests.")
    prompt_tokens: int = strawberry.field(description="Tokens sent.")
    completion_tokens: int = strawberry.field(description="Tokens received.")
    total_tokens: int = strawberry.field(description="Both together.")
    cost: Money = strawberry.field(description="What they cost.")


@strawberry.type(description="Your spend since the first day of this month (UTC).")
class Budget:
    period_start: datetime = strawberry.field(description="Midnight UTC on the 1st.")
    budget: Money = strawberry.field(description="Your monthly budget.")
    spent: Money = strawberry.field(description="Token spend and test spend together.")
    token_spend: Money = strawberry.field(description="From recorded token usage.")
    test_spend: Money = strawberry.field(description="From your dreams' AI tests.")
    remaining: Money = strawberry.field(description="Budget minus spent; negative when over.")
    percent_used: float = strawberry.field(description="Spent as a percentage of the budget.")


@strawberry.type(description="A user whose spend this month nears or passes their budget.")
class BudgetAlert:
    budget: Money = strawberry.field(description="Their monthly budget.")
    spent: Money = strawberry.field(description="What they spent this month.")
    percent_used: float = strawberry.field(description="Spent as a percentage of the budget.")
    user_id: strawberry.Private[str]

    @strawberry.field(description="Who it is.")
    async def user(self, info: Info) -> User:
        return await load_user(info, self.user_id)


@strawberry.input(description="Tokens one AI request used, charged to you.")
class RecordTokenUsageInput:
    endpoint: str = strawberry.field(description="Which endpoint called the model.")
    model: str = strawberry.field(description="The model's name.")
    prompt_tokens: int = strawberry.field(description="Tokens sent, at least 0.")
    completion_tokens: int = strawberry.field(description="Tokens received, at least 0.")
    cost: Money = strawberry.field(description="What the request cost.")
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="A project you may see, if the request was for one."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What `recordTokenUsage` stored.")
class RecordTokenUsagePayload:
    id: strawberry.ID = strawberry.field(description="The usage record's id.")
    total_tokens: int = strawberry.field(description="Prompt and completion tokens together.")
    cost: Money = strawberry.field(description="What it cost.")
    timestamp: datetime = strawberry.field(description="When it was recorded.")


@strawberry.type
class UsageQuery:
    @strawberry.field(description="Your token usage in [from, to) (default: the last 30 days).")
    async def token_usage(
        self,
        info: Info,
        group_by: Annotated[UsageGrouping, strawberry.argument(description="How to group.")],
        *,
        from_: Annotated[
            datetime | None,
            strawberry.argument(
                name="from", description="Start, inclusive (default: 30 days ago)."
            ),
        ] = None,
        to: Annotated[
            datetime | None, strawberry.argument(description="End, exclusive (default: now).")
        ] = None,
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
                cost=money(row.cost, MICROS),
            )
            for row in rows
        ]

    @strawberry.field(description="Your spend this month against your budget (sign-in required).")
    async def my_budget(self, info: Info) -> Budget:
        budget = await rules.resolve_my_budget(scope_of(info))
        return Budget(
            period_start=budget.period_start,
            budget=money(budget.budget, CENTS),
            spent=money(budget.spent, MICROS),
            token_spend=money(budget.token_spend, MICROS),
            test_spend=money(budget.test_spend, MICROS),
            remaining=money(budget.remaining, MICROS),
            percent_used=budget.percent_used,
        )

    @strawberry.field(
        description="Administrators only: users whose spend this month is at least `threshold` "
        "percent (0-1000) of their budget."
    )
    async def budget_alerts(
        self,
        info: Info,
        threshold: Annotated[
            float, strawberry.argument(description="Percent of the budget, 0-1000.")
        ] = 80,
    ) -> list[BudgetAlert]:
        alerts = await rules.resolve_budget_alerts(scope_of(info), threshold)
        return [
            BudgetAlert(
                budget=money(a.budget, CENTS),
                spent=money(a.spent, MICROS),
                percent_used=a.percent_used,
                user_id=a.user_id,
            )
            for a in alerts
        ]


@strawberry.type
class UsageMutation:
    @strawberry.mutation(description="Signed-in users; the project, if given, must be visible.")
    async def record_token_usage(
        self,
        info: Info,
        input: Annotated[RecordTokenUsageInput, strawberry.argument(description="The usage.")],
    ) -> RecordTokenUsagePayload:
        draft = rules.UsageDraft(
            endpoint=input.endpoint,
            model=input.model,
            prompt_tokens=input.prompt_tokens,
            completion_tokens=input.completion_tokens,
            cost=input.cost,
            project_id=None if input.project_id is None else str(input.project_id),
        )
        key = idempotency_key(info, input.idempotency_key)
        usage = await rules.record_token_usage(scope_of(info), draft, idempotency_key=key)
        return RecordTokenUsagePayload(
            id=strawberry.ID(str(usage.id)),
            total_tokens=usage.totalTokens,
            cost=money(usage.cost, MICROS),
            timestamp=usage.timestamp,
        )
