"""Chat histories: per project, sessions that open with a SYSTEM prompt and then alternate
USER and ASSISTANT turns, in time order (so cuid order is time order for cursor pagination)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from seed.context import SeedContext, to_datetime

__all__ = ["COLUMNS", "rows"]

COLUMNS: Sequence[str] = ("id", "project_id", "user_id", "role", "content", "tokens", "created_at")

_SESSION_LENGTH = 20
_SYSTEM = "You are an expert {t} engineer. Answer with working code and explain trade-offs briefly."
_ASKS = (
    "Add a {w} step to the main flow and keep the tests green.",
    "Why does the {w} function fail on empty input?",
    "Refactor the {w} module into smaller functions.",
    "Write tests for {w}, including the edge cases.",
    "Can you make {w} faster? It takes seconds on large inputs.",
    "Explain what {w} does, line by line.",
    "Add types to {w} and fix what the type checker finds.",
    "The {w} page looks broken on mobile; fix the layout.",
)
_ANSWERS = (
    "Here is a version of {w} that handles empty input first, then the main case. "
    "I kept the public signature so callers don't change.",
    "The bug is an off-by-one in {w}: the loop stops before the last element. "
    "The fix below uses the length directly and adds a regression test.",
    "I split {w} into parsing, validation and output. Each part is now testable on its own, "
    "and the main function reads as three calls.",
    "Caching the intermediate results of {w} removes the quadratic behaviour; "
    "on 100k items it goes from seconds to milliseconds.",
    "Here are six tests for {w}: empty input, one item, duplicates, unicode, very long input "
    "and the error path.",
)
_WORDS = ("parser", "checkout", "login", "search", "upload", "export", "scheduler", "dashboard")


def _per_project(ctx: SeedContext, rng: random.Random, count: int) -> list[int]:
    counts = [0] * len(ctx.projects)
    for project in rng.choices(range(len(counts)), cum_weights=ctx.projects.cum_weights, k=count):
        counts[project] += 1
    return counts


def _message(
    rng: random.Random, ctx: SeedContext, project: int, turn: int
) -> tuple[str | None, str, str, int]:
    """(user id, role, content, tokens) for the `turn`-th message of a project."""
    if turn % _SESSION_LENGTH == 0:
        content = _SYSTEM.format(t=ctx.project_kinds[project])
        return None, "SYSTEM", content, len(content) // 4
    word = rng.choice(_WORDS)
    if turn % 2 == 1:
        user = rng.choice(ctx.project_members[project])
        content = rng.choice(_ASKS).format(w=word)
        return ctx.users.ids[user], "USER", content, len(content) // 4 + rng.randint(0, 300)
    content = rng.choice(_ANSWERS).format(w=word)
    return None, "ASSISTANT", content, int(rng.lognormvariate(6.2, 0.6))


def rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    rng = ctx.rng("messages")
    new_id = ctx.ids("messages")
    projects = ctx.projects
    for project, n in enumerate(_per_project(ctx, rng, count) if projects.ids else []):
        if n == 0:
            continue
        project_id, created = projects.ids[project], projects.created[project]
        times = sorted(rng.uniform(created, ctx.now) for _ in range(n))
        for turn, ts in enumerate(times):
            user_id, role, content, tokens = _message(rng, ctx, project, turn)
            at = to_datetime(ts)
            yield new_id(ts), project_id, user_id, role, content, tokens, at
