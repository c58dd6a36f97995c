"""Token usage (one row per AI request, 90 days, growing) and sampled API response times.

Rows are generated day by day in time order, as an append-only table fills. The PRO demo account
gets extra requests this month that bring its spend to about 90 % of its budget, so the budget
alert has someone to show.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from datetime import datetime

from seed.ai_models import ACTIVE_MODELS, MODELS, ModelSpec
from seed.context import DAY, HOUR, SeedContext, micros, to_datetime
from seed.demo import DEMO_ACCOUNTS

__all__ = ["API_COLUMNS", "COLUMNS", "api_rows", "rows"]

COLUMNS: Sequence[str] = (
    "id",
    "user_id",
    "project_id",
    "endpoint",
    "model",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "cost",
    "timestamp",
)
API_COLUMNS: Sequence[str] = (
    "id",
    "operation",
    "method",
    "status_code",
    "duration_ms",
    "user_id",
    "timestamp",
)

_ENDPOINTS = ("/api/chat", "/api/generate", "/api/complete", "/api/embeddings", "/api/agents/run",
              "/api/dreams/test")  # fmt: skip
_ENDPOINT_WEIGHTS = list(itertools.accumulate((40, 20, 15, 10, 5, 10)))
_MODEL_WEIGHTS = list(itertools.accumulate(m.popularity for m in ACTIVE_MODELS))
_BUDGET_SHARE = 0.9
_OPERATIONS = ("query Dashboard", "query DreamProgress", "query ModelComparison",
               "query PublicProjects", "query ProjectMessages", "query UsageByDay",
               "mutation RecordAiTest", "mutation PostMessage")  # fmt: skip


def _per_day(rng: random.Random, total: int, days: int) -> list[int]:
    """Rows per day: growing over the period, quieter at weekends."""
    weights = [(1.0 + day / days) * (0.7 if day % 7 in (5, 6) else 1.0) for day in range(days)]
    counts = [0] * days
    for day in rng.choices(range(days), weights=weights, k=total):
        counts[day] += 1
    return counts


def _request(rng: random.Random, model: ModelSpec, endpoint: str) -> tuple[int, int, int, object]:
    prompt = int(math.exp(rng.gauss(6.5, 0.8)))
    completion = 0 if endpoint == "/api/embeddings" else int(math.exp(rng.gauss(5.8, 0.7)))
    total = prompt + completion
    return prompt, completion, total, micros(total / 1000 * model.price)


Timed = tuple[float, tuple[object, ...]]


def _demo_rows(ctx: SeedContext, rng: random.Random, limit: int) -> list[Timed]:
    """The PRO demo account's spend this month: about 90 % of its budget."""
    pro = next((i for i, a in enumerate(DEMO_ACCOUNTS) if a.plan == "PRO"), None)
    if pro is None or pro >= len(ctx.users) or limit <= 0:
        return []
    account = DEMO_ACCOUNTS[pro]
    month = ctx.anchor.replace(day=1, hour=0).timestamp()
    start = min(month, ctx.now - HOUR)
    model = next(m for m in MODELS if m.name == "o1")
    per_row = account.monthly_budget * _BUDGET_SHARE / limit
    projects = ctx.user_projects.get(pro, [])
    project = ctx.projects.ids[projects[0]] if projects else None
    total = max(2, int(per_row / model.price * 1000))
    prompt = total * 3 // 4
    cost = micros(total / 1000 * model.price)
    fields = (ctx.users.ids[pro], project, "/api/chat", model.name, prompt, total - prompt, total)
    return [(rng.uniform(start, ctx.now), (*fields, cost)) for _ in range(limit)]


def _day_rows(ctx: SeedContext, rng: random.Random, start: float, n: int) -> list[Timed]:
    users = rng.choices(range(len(ctx.users)), cum_weights=ctx.users.cum_weights, k=n)
    endpoints = rng.choices(_ENDPOINTS, cum_weights=_ENDPOINT_WEIGHTS, k=n)
    models = rng.choices(ACTIVE_MODELS, cum_weights=_MODEL_WEIGHTS, k=n)
    times = sorted(rng.uniform(start, start + DAY) for _ in range(n))
    out: list[Timed] = []
    for ts, user, endpoint, model in zip(times, users, endpoints, models, strict=True):
        if ctx.users.created[user] > ts:
            user %= min(len(DEMO_ACCOUNTS), len(ctx.users))  # not signed up yet: a demo did
        owned = ctx.user_projects.get(user)
        project = ctx.projects.ids[rng.choice(owned)] if owned and rng.random() < 0.7 else None
        request = _request(rng, model, endpoint)
        out.append((ts, (ctx.users.ids[user], project, endpoint, model.name, *request)))
    return out


def rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    """`count` requests with ids 1..count in time order."""
    rng = ctx.rng("token_usage")
    if not ctx.users.ids:
        return
    demo = _demo_rows(ctx, rng, min(600, count // 4))
    days = ctx.history_days
    ids = itertools.count(1)
    for day, n in enumerate(_per_day(rng, count - len(demo), days)):
        start = ctx.history_start + day * DAY
        batch = _day_rows(ctx, rng, start, n)
        batch.extend(r for r in demo if start <= r[0] < start + DAY)
        batch.sort(key=lambda r: r[0])
        for ts, fields in batch:
            yield next(ids), *fields, to_datetime(ts)


def api_rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    """`count` sampled API timings over the last 14 days, in time order."""
    rng = ctx.rng("api_response_times")
    start = ctx.now - 14 * DAY
    times = sorted(rng.uniform(start, ctx.now) for _ in range(count))
    for index, ts in enumerate(times, start=1):
        status = rng.choices((200, 400, 401, 500), (960, 20, 15, 5))[0]
        duration = round(rng.lognormvariate(3.2, 0.6), 3)
        user = rng.randrange(len(ctx.users)) if ctx.users.ids and rng.random() < 0.7 else None
        user_id = None if user is None else ctx.users.ids[user]
        at: datetime = to_datetime(ts)
        yield index, rng.choice(_OPERATIONS), "POST", status, duration, user_id, at
