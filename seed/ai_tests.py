"""AI tests: each dream tested again and again over its lifetime; scores decay with noise.

A dream is tested from the day it was written down until its last test (now for active dreams,
when it was achieved or archived for the others), so its tests spread over weeks to months.
A test's impossibility score is the dream's difficulty, discounted by the model's strength and
decaying exponentially with the dream's progress so far (`seed.decay`: progress, plateaus and
regressions), faster for stronger models, plus Gaussian noise. Recent tests may still be
PENDING; a few FAILED. Tokens, duration and cost follow from the model (cost = tokens / 1000 x
the model's price).
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Iterator, Sequence

from seed.ai_models import ACTIVE_MODELS, ModelSpec
from seed.context import DAY, HOUR, SeedContext, cents, micros, to_datetime
from seed.decay import DecayStory
from seed.progress import ProgressTracker

__all__ = ["COLUMNS", "rows"]

COLUMNS: Sequence[str] = (
    "id",
    "dream_id",
    "user_id",
    "provider",
    "model",
    "impossibility_score",
    "confidence",
    "reasoning",
    "duration_ms",
    "tokens_used",
    "cost",
    "status",
    "test_parameters",
    "created_at",
)

_DEMO_EXTRA_TESTS = 40
_BASE_TESTS = 3  # every dream is tested at least this often (when the total allows)
_MODEL_WEIGHTS = list(itertools.accumulate(m.popularity for m in ACTIVE_MODELS))
_PARAMETERS = tuple(
    json.dumps({"temperature": t, "max_tokens": m, "prompt_version": v, "top_p": 1.0})
    for t in (0.0, 0.2, 0.7, 1.0)
    for m in (1024, 2048, 4096)
    for v in ("v1", "v2", "v3")
)
_REASONING = (
    "Well within current capabilities; only minor gaps in edge cases.",
    "Feasible with careful prompting and some human review of the output.",
    "Partially achievable: the core works, but reliability is not there yet.",
    "Mostly out of reach: it needs long-horizon planning the model can't sustain.",
    "Not possible today: it requires capabilities no current model has.",
)
_FAILURES = (
    "Request failed: provider timeout after 60s.",
    "Request failed: rate limited (429).",
    "Request failed: response could not be parsed as a score.",
)


def _test_counts(ctx: SeedContext, rng: random.Random, total: int) -> list[int]:
    """Tests per dream: a few each, then skewed (a few dreams are tested a lot); demo dreams
    get extra."""
    n = len(ctx.dreams)
    counts = [0] * n
    if n == 0:
        return counts
    extra = min(_DEMO_EXTRA_TESTS, total // (4 * ctx.demo_dreams)) if ctx.demo_dreams else 0
    for dream in range(ctx.demo_dreams):
        counts[dream] = extra
    base = min(_BASE_TESTS, (total - extra * ctx.demo_dreams) // (2 * n))
    counts = [count + base for count in counts]
    remaining = total - extra * ctx.demo_dreams - base * n
    weights = itertools.accumulate(rng.paretovariate(1.5) for _ in range(n))
    for dream in rng.choices(range(n), cum_weights=list(weights), k=remaining):
        counts[dream] += 1
    return counts


def _status(rng: random.Random, age_hours: float) -> str:
    if age_hours < 6 and rng.random() < 0.5:
        return "PENDING"
    return "FAILED" if rng.random() < 0.03 else "COMPLETED"


def _score(rng: random.Random, model: ModelSpec, difficulty: float, progress: float) -> float:
    """`progress`: days of decay the dream has accumulated (its story, not its plain age)."""
    rate = 0.004 + 0.012 * model.strength**2
    base = difficulty * (1.0 - 0.35 * model.strength) * math.exp(-rate * progress)
    return min(100.0, max(0.0, rng.gauss(base, 4.0)))


def _one(rng: random.Random, model: ModelSpec, status: str, score: float) -> tuple[object, ...]:
    """(score, confidence, reasoning, duration, tokens, cost) for one test."""
    if status == "PENDING":
        return cents(100), cents(0), "", 0, 0, micros(0)
    prompt = rng.randint(180, 900)
    if status == "FAILED":
        cost = micros(prompt / 1000 * model.price)
        return cents(100), cents(0), rng.choice(_FAILURES), 60_000, prompt, cost
    completion = int(math.exp(rng.gauss(6.0, 0.5)))
    tokens = prompt + completion
    duration = int(rng.uniform(250, 800) + completion * (5 + 15 * model.strength))
    confidence = min(100.0, max(0.0, rng.gauss(50 + 40 * model.strength, 6)))
    reasoning = _REASONING[min(4, int(score // 20))]
    return (
        cents(score),
        cents(confidence),
        reasoning,
        duration,
        tokens,
        micros(tokens / 1000 * model.price),
    )


def rows(ctx: SeedContext, count: int, progress: ProgressTracker) -> Iterator[tuple[object, ...]]:
    """`count` tests; completed ones are fed to `progress`, which snapshots the trend."""
    rng = ctx.rng("ai_tests")
    stories = ctx.rng("decay_stories")
    new_id = ctx.ids("ai_tests")
    dreams = ctx.dreams
    for dream, n in enumerate(_test_counts(ctx, rng, count)):
        if n == 0:
            continue
        created, difficulty = dreams.created[dream], ctx.dream_difficulty[dream]
        ended = ctx.dream_ends[dream]
        dream_id, user_id = dreams.ids[dream], ctx.users.ids[dreams.owners[dream]]
        story = DecayStory.sample(
            stories,
            (ended - created) / DAY,
            demo=dream < ctx.demo_dreams,
            boost=1.8 if ctx.dream_achieved[dream] else 1.0,
        )
        progress.start(dream_id)
        times = sorted(rng.uniform(created, ended) for _ in range(n))
        models = rng.choices(ACTIVE_MODELS, cum_weights=_MODEL_WEIGHTS, k=n)
        for ts, model in zip(times, models, strict=True):
            status = _status(rng, (ctx.now - ts) / HOUR)
            score = _score(rng, model, difficulty, story.progress_at((ts - created) / DAY))
            values = _one(rng, model, status, score)
            at = to_datetime(ts)
            yield (
                new_id(ts), dream_id, user_id, model.provider, model.name, *values, status,
                rng.choice(_PARAMETERS), at,
            )  # fmt: skip
            progress.record(ts, model, status, score)
        progress.finish()
