"""What the domain modules share while seeding: the clock, random streams and what exists."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from seed.ids import IdFactory

__all__ = [
    "DAY",
    "HOUR",
    "Population",
    "SeedContext",
    "cents",
    "micros",
    "pareto_cum_weights",
    "to_datetime",
]

HOUR = 3600.0
DAY = 86400.0

# Every value a numeric(5, 2) score can take, built once: a Decimal per row is the slowest part
# of encoding a COPY record otherwise.
_CENTS = [Decimal(i).scaleb(-2) for i in range(10_001)]


def cents(value: float) -> Decimal:
    """`value` (0-100) rounded to two decimals, as a Decimal."""
    return _CENTS[min(10_000, max(0, round(value * 100)))]


def micros(value: float) -> Decimal:
    """`value` rounded to six decimals (money in numeric(10, 6))."""
    return Decimal(f"{value:.6f}")


def to_datetime(ts: float) -> datetime:
    """A POSIX timestamp as an aware UTC datetime, at the millisecond precision of the columns."""
    return datetime.fromtimestamp(round(ts, 3), UTC)


@dataclass(slots=True)
class Population:
    """Rows already generated that later tables point at, as parallel lists for speed."""

    ids: list[str] = field(default_factory=list[str])
    owners: list[int] = field(default_factory=list[int])
    created: list[float] = field(default_factory=list[float])
    # Cumulative weights for `random.choices`: activity is skewed, a few rows get most of it.
    cum_weights: list[float] = field(default_factory=list[float])

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(slots=True)
class SeedContext:
    seed: int
    anchor: datetime
    history_days: int = 90
    users: Population = field(default_factory=Population)
    dreams: Population = field(default_factory=Population)
    projects: Population = field(default_factory=Population)
    user_projects: dict[int, list[int]] = field(default_factory=dict[int, list[int]])
    project_members: dict[int, list[int]] = field(default_factory=dict[int, list[int]])
    project_kinds: list[str] = field(default_factory=list[str])
    project_likes: list[int] = field(default_factory=list[int])  # likes per project, in order
    dream_difficulty: list[float] = field(default_factory=list[float])
    # When each dream was last tested: now for active dreams, when they were achieved or
    # archived for the others (their `updated_at`).
    dream_ends: list[float] = field(default_factory=list[float])
    dream_achieved: list[bool] = field(default_factory=list[bool])
    # How many of the first dreams / projects belong to demo accounts (they get extra activity).
    demo_dreams: int = 0
    demo_projects: int = 0

    @property
    def now(self) -> float:
        return self.anchor.timestamp()

    @property
    def history_start(self) -> float:
        return self.now - self.history_days * DAY

    def rng(self, domain: str) -> random.Random:
        """An independent random stream per domain, so changing one table's count leaves the
        others' rows as they were."""
        return random.Random(f"{self.seed}:{domain}")

    def ids(self, domain: str) -> IdFactory:
        return IdFactory(self.rng(f"{domain}:ids"))


def pareto_cum_weights(rng: random.Random, n: int, alpha: float = 1.16) -> list[float]:
    """Cumulative Pareto weights (the 80/20 rule at alpha 1.16) for `n` items."""
    total = 0.0
    out: list[float] = []
    for _ in range(n):
        total += rng.paretovariate(alpha)
        out.append(total)
    return out
