"""Dreams: goals AI can't do yet, across categories, mostly private, most still active."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from seed.context import DAY, HOUR, SeedContext, to_datetime
from seed.demo import DEMO_ACCOUNTS
from seed.text import SENTENCES

__all__ = ["COLUMNS", "rows"]

COLUMNS: Sequence[str] = (
    "id",
    "user_id",
    "title",
    "description",
    "original_prompt",
    "category",
    "tags",
    "is_public",
    "status",
    "created_at",
    "updated_at",
)

# category -> (title templates, tags, base difficulty: the typical starting impossibility)
_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "CREATIVE": (
        ("Write a novel chapter in the voice of {x}", "Compose a symphony movement about {x}",
         "Design a board game about {x}", "Paint a photorealistic mural of {x}"),
        ("writing", "music", "art", "storytelling", "design"), 62.0,
    ),
    "SCIENCE": (
        ("Prove a new lemma about {x}", "Design a reproducible experiment on {x}",
         "Predict protein folding for {x}", "Derive a closed form for {x}"),
        ("math", "biology", "physics", "chemistry", "research"), 88.0,
    ),
    "TECHNOLOGY": (
        ("Build a compiler for {x} from a spec", "Refactor a legacy codebase about {x}",
         "Find a zero-day in {x}", "Write a formally verified {x} parser"),
        ("code", "security", "compilers", "devops", "ai"), 78.0,
    ),
    "BUSINESS": (
        ("Draft a fundable business plan for {x}", "Negotiate a supplier contract for {x}",
         "Forecast quarterly revenue of {x}", "Run a week of customer support for {x}"),
        ("strategy", "finance", "marketing", "sales", "operations"), 58.0,
    ),
    "HEALTH": (
        ("Diagnose rare conditions from notes about {x}", "Plan a year of training for {x}",
         "Read an MRI report about {x}", "Design a meal plan for {x}"),
        ("medicine", "fitness", "nutrition", "mental-health"), 84.0,
    ),
    "EDUCATION": (
        ("Tutor a student through {x}", "Write a full course on {x}",
         "Grade essays about {x} like a professor", "Explain {x} to a ten-year-old"),
        ("teaching", "learning", "curriculum", "kids"), 48.0,
    ),
    "ENTERTAINMENT": (
        ("Write a stand-up set about {x}", "Direct a short film about {x}",
         "Design a puzzle game around {x}", "Improvise a podcast episode on {x}"),
        ("comedy", "film", "games", "podcast"), 66.0,
    ),
    "PERSONAL": (
        ("Plan my perfect trip to {x}", "Organise a family reunion around {x}",
         "Help me learn {x} in thirty days", "Write wedding vows mentioning {x}"),
        ("travel", "family", "habits", "productivity"), 45.0,
    ),
    "OTHER": (
        ("Solve the riddle of {x}", "Predict the weather in {x} a month ahead",
         "Translate ancient texts about {x}"),
        ("misc", "experiments", "fun"), 80.0,
    ),
}  # fmt: skip
_CATEGORY_NAMES = tuple(_CATEGORIES)
_CATEGORY_WEIGHTS = (14, 10, 22, 12, 8, 10, 9, 11, 4)
_SUBJECTS = (
    "black holes", "medieval trade", "quantum error correction", "urban beekeeping", "Rust",
    "the Riemann hypothesis", "coral reefs", "jazz harmony", "supply chains", "Lisbon",
    "sourdough", "exoplanets", "tax law", "chess endgames", "marathon running", "Kyoto",
    "climate models", "old maps", "sleep science", "startup pricing",
)  # fmt: skip
_STATUSES = ("ACTIVE", "ACHIEVED", "ARCHIVED")
_STATUS_WEIGHTS = (75, 10, 15)
# Per demo account: (public, status) of the dreams it is guaranteed to own.
_DEMO_DREAMS = (
    ((True, "ACTIVE"), (True, "ACHIEVED"), (False, "ACTIVE")),
    ((True, "ACTIVE"), (False, "ACTIVE"), (False, "ARCHIVED")),
    ((False, "ACTIVE"), (True, "ACTIVE")),
    ((False, "ACTIVE"),),
)


def _owners(ctx: SeedContext, rng: random.Random, count: int) -> list[tuple[int, bool, str]]:
    """(user index, public, status) per dream: the demo accounts' dreams, then random owners."""
    fixed = [
        (user, public, status)
        for user, dreams in enumerate(_DEMO_DREAMS[: len(DEMO_ACCOUNTS)])
        if user < len(ctx.users)
        for public, status in dreams
    ][:count]
    users = rng.choices(range(len(ctx.users)), cum_weights=ctx.users.cum_weights,
                        k=count - len(fixed))  # fmt: skip
    randoms = [
        (user, rng.random() < 0.2, rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]) for user in users
    ]
    ctx.demo_dreams = len(fixed)
    return fixed + randoms


# Dreams are written down at least this long before the end of the history, so every dream's
# tests spread over weeks (users who joined more recently write theirs as soon as they can).
_MIN_AGE = 21 * DAY
# Demo dreams are written down this many days before the end, before any other: a 90-day chart
# is full, and listing a demo account's dreams oldest first shows them first.
_DEMO_AGE_DAYS = (124.0, 123.0, 122.0)


def _created(ctx: SeedContext, rng: random.Random, user: int, index: int) -> float:
    """When the dream was written down: demo dreams at fixed ages, others at least three weeks
    before the end of the history (or right after their owner joined)."""
    if index < ctx.demo_dreams:
        return ctx.now - _DEMO_AGE_DAYS[index % len(_DEMO_AGE_DAYS)] * DAY
    earliest = max(ctx.users.created[user], ctx.now - (ctx.history_days + 30) * DAY)
    latest = ctx.now - _MIN_AGE
    if earliest >= latest:
        return rng.uniform(earliest, max(earliest, ctx.now - 2 * HOUR))
    return rng.uniform(earliest, latest)


def _ended(ctx: SeedContext, rng: random.Random, created: float, status: str) -> float:
    """The last moment the dream was tested: now while ACTIVE, else when it was achieved or
    archived (late enough in its life that its tests still spread out)."""
    if status == "ACTIVE":
        return ctx.now
    return created + rng.uniform(0.55, 0.95) * (ctx.now - created)


def rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    """`count` dreams; records each (owner, creation, end of testing, difficulty) in the
    context."""
    rng = ctx.rng("dreams")
    new_id = ctx.ids("dreams")
    pool = ctx.dreams
    for index, (user, public, status) in enumerate(_owners(ctx, rng, count)):
        category = rng.choices(_CATEGORY_NAMES, _CATEGORY_WEIGHTS)[0]
        templates, tags, difficulty = _CATEGORIES[category]
        subject = rng.choice(_SUBJECTS)
        title = rng.choice(templates).format(x=subject)
        created = _created(ctx, rng, user, index)
        ended = _ended(ctx, rng, created, status)
        dream_id = new_id(created)
        pool.ids.append(dream_id)
        pool.owners.append(user)
        pool.created.append(created)
        ctx.dream_ends.append(ended)
        ctx.dream_achieved.append(status == "ACHIEVED")
        ctx.dream_difficulty.append(min(99.0, max(20.0, rng.gauss(difficulty, 8.0))))
        description = " ".join(rng.sample(SENTENCES, 3))
        prompt = f"{title}. {rng.choice(SENTENCES)} Score how impossible this is for you today."
        updated = rng.uniform(created, ctx.now) if status == "ACTIVE" else ended
        yield (
            dream_id, ctx.users.ids[user], title, description, prompt, category,
            rng.sample(tags, rng.randint(1, min(3, len(tags)))), public, status,
            to_datetime(created), to_datetime(updated),
        )  # fmt: skip
