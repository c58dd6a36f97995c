"""Nested reads with relation_load_strategy "query" (batched: a statement per level) vs "join"
(one statement, PostgreSQL building the children as JSON), and the JSON output mode.

Run by bench/orm.py after its overhead figures, on the same seeded schema; alone:

    .venv/bin/python bench/orm.py --iterations 500 --strategies-only

Each figure is the median wall time of one awaited call (µs) on a 2-connection pool against a
local PostgreSQL, so a statement's round trip is cheap here: over a network each extra
statement of the batched strategy costs a round trip more.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Awaitable, Callable
from typing import Any

from bench.timing import samples_us
from tests.orm.generated.client import Prisma

__all__ = ["compare_strategies"]

Read = Callable[..., Awaitable[object]]


async def _seed_comments(db: Prisma, per_post: int) -> None:
    posts = await db.post.find_many(take=2000, order={"id": "asc"})
    await db.comment.create_many(
        data=[{"content": f"comment {n}", "postId": p.id} for p in posts for n in range(per_post)]
    )
    await db.execute_raw("ANALYZE")  # fresh tables have no statistics: LATERAL plans need them


async def _median_us(call: Callable[[], Awaitable[object]], iterations: int) -> float:
    return statistics.median(await samples_us(call, iterations))


def _cases(db: Prisma) -> dict[str, tuple[Read, dict[str, Any]]]:
    latest_posts: Any = {"order_by": {"createdAt": "desc"}, "take": 5}
    with_comments: Any = {**latest_posts, "include": {"comments": {"take": 3}}}
    return {
        "1 user + 25 posts": (
            db.account.find_first,
            {"order": {"email": "asc"}, "include": {"posts": True}},
        ),
        "20 users x 5 posts": (
            db.account.find_many,
            {"take": 20, "order": {"email": "asc"}, "include": {"posts": latest_posts}},
        ),
        "20 x 5 x 3 comments": (
            db.account.find_many,
            {"take": 20, "order": {"email": "asc"}, "include": {"posts": with_comments}},
        ),
        "200 users, _count": (
            db.account.find_many,
            {"take": 200, "order": {"email": "asc"}, "include": {"_count": True}},
        ),
        "200 users x 25 posts": (
            db.account.find_many,
            {"take": 200, "order": {"email": "asc"}, "include": {"posts": True}},
        ),
    }


async def compare_strategies(db: Prisma, iterations: int) -> None:
    await _seed_comments(db, 3)
    statements: list[object] = []
    db.add_query_listener(statements.append)
    print(f"\nrelation_load_strategy, median µs per call ({iterations} calls each)")
    print(f"{'read':<22}{'query':>10}{'stmts':>7}{'join':>10}{'stmts':>7}{'json':>10}  join/query")
    for name, (read, kwargs) in _cases(db).items():
        json_read = (
            db.account.find_first_json if name.startswith("1 ") else db.account.find_many_json
        )
        figures: list[str] = []
        medians: dict[str, float] = {}
        for strategy in ("query", "join"):
            statements.clear()
            await read(**kwargs, relation_load_strategy=strategy)
            count = len(statements)
            call = functools.partial(read, **kwargs, relation_load_strategy=strategy)
            medians[strategy] = await _median_us(call, iterations)
            figures.append(f"{medians[strategy]:>10.0f}{count:>7}")
        json_us = await _median_us(functools.partial(json_read, **kwargs), iterations)
        ratio = medians["join"] / medians["query"]
        print(f"{name:<22}{''.join(figures)}{json_us:>10.0f}  {ratio:5.2f}x")
    db.remove_query_listener(statements.append)
