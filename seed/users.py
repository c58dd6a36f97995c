"""Users: the demo accounts first, then people on FREE / PRO / TEAM plans with monthly budgets."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal

from seed.context import DAY, SeedContext, pareto_cum_weights, to_datetime
from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, USER_PASSWORD, password_hash
from seed.text import FIRST_NAMES, LAST_NAMES

__all__ = ["COLUMNS", "rows"]

COLUMNS: Sequence[str] = (
    "id",
    "email",
    "name",
    "password_hash",
    "api_token_hash",
    "role",
    "plan",
    "monthly_budget",
    "created_at",
    "updated_at",
)

_PLANS = ("FREE", "PRO", "TEAM")
_PLAN_WEIGHTS = (70, 22, 8)
_BUDGETS = {"FREE": (20,), "PRO": (50, 100, 150, 200), "TEAM": (250, 500, 1000)}
# Demo accounts are as active as the busiest real users, so a demo has something to show.
_DEMO_WEIGHT = 40.0


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    """`count` users in all, demo accounts included; records each in `ctx.users`."""
    rng = ctx.rng("users")
    new_id = ctx.ids("users")
    pool = ctx.users
    weights = pareto_cum_weights(rng, count)
    demo_pw, user_pw = password_hash(DEMO_PASSWORD), password_hash(USER_PASSWORD)
    extra = 0.0
    for index in range(count):
        is_demo = index < len(DEMO_ACCOUNTS)
        if is_demo:
            extra += _DEMO_WEIGHT
            created = ctx.now - (200 + 10 * index) * DAY
        elif rng.random() < 0.12:
            created = ctx.now - rng.uniform(1, ctx.history_days) * DAY
        else:
            created = ctx.now - rng.uniform(ctx.history_days, 720) * DAY
        user_id = new_id(created)
        pool.ids.append(user_id)
        pool.owners.append(index)
        pool.created.append(created)
        pool.cum_weights.append(weights[index] + extra)
        if is_demo:
            demo = DEMO_ACCOUNTS[index]
            yield (
                user_id, demo.email, demo.name, demo_pw, demo.token_hash, demo.role, demo.plan,
                Decimal(demo.monthly_budget), to_datetime(created), to_datetime(created + DAY),
            )  # fmt: skip
            continue
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        plan = rng.choices(_PLANS, _PLAN_WEIGHTS)[0]
        updated = created + rng.uniform(0, ctx.now - created)
        yield (
            user_id, f"{_ascii(first)}.{_ascii(last)}{index}@example.com", f"{first} {last}",
            user_pw, None, "USER", plan, Decimal(rng.choice(_BUDGETS[plan])),
            to_datetime(created), to_datetime(updated),
        )  # fmt: skip
