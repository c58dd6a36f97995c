"""How a dream's impossibility decays: a story of progress, plateaus and regressions.

A dream's life (from being written down to its last test) is split into phases of a few days to
a few weeks. In a *progress* phase models get better at it (one to two and a half days of decay
per day); on a *plateau* nothing moves; in a *regression* (a model update made it worse, a new
edge case turned up) impossibility climbs back for a week or so. `DecayStory.progress_at(day)`
is the decay accumulated by `day`: `ai_tests` uses it in place of the dream's plain age, so
scores trend down over weeks to months, with flat stretches and bumps, at every scale.

Demo dreams follow a scripted story (a hard start, progress, a regression, progress, a plateau,
progress) so the documented accounts' 90-day charts always show every part of it.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass

__all__ = ["DecayStory"]

# (kind, share of the life, speed): the demo dreams' story.
_DEMO_SCRIPT = (
    ("plateau", 0.25, 0.05),
    ("progress", 0.2, 2.2),
    ("regression", 0.08, -3.0),
    ("progress", 0.22, 2.0),
    ("plateau", 0.1, 0.1),
    ("progress", 0.15, 2.0),
)
_KINDS = ("progress", "plateau", "regression")
_KIND_WEIGHTS = (55, 30, 15)


def _speed(rng: random.Random, kind: str) -> float:
    if kind == "progress":
        return rng.uniform(1.0, 2.5)
    if kind == "plateau":
        return rng.uniform(0.0, 0.15)
    return rng.uniform(-3.5, -1.5)


def _length(rng: random.Random, kind: str) -> float:
    return rng.uniform(4.0, 10.0) if kind == "regression" else rng.uniform(5.0, 25.0)


@dataclass(frozen=True, slots=True)
class DecayStory:
    """Phases as parallel tuples: where each ends (days since the dream was written), its
    speed, and the progress accumulated when it starts."""

    ends: tuple[float, ...]
    speeds: tuple[float, ...]
    starts: tuple[float, ...]

    @classmethod
    def sample(
        cls, rng: random.Random, lifetime: float, *, demo: bool = False, boost: float = 1.0
    ) -> DecayStory:
        """A random story over `lifetime` days (the demo script for demo dreams); `boost`
        speeds up progress (achieved dreams got there faster)."""
        phases: list[tuple[float, float]] = []  # (length, speed)
        if demo:
            phases = [(share * lifetime, speed) for _, share, speed in _DEMO_SCRIPT]
        else:
            total = 0.0
            kind = "progress"  # every story starts by moving
            while total < lifetime:
                length = _length(rng, kind)
                phases.append((length, _speed(rng, kind)))
                total += length
                kind = rng.choices(_KINDS, _KIND_WEIGHTS)[0]
        speeds = tuple(speed * boost if speed > 0 else speed for _, speed in phases)
        ends = tuple(itertools.accumulate(length for length, _ in phases))
        starts = tuple(
            itertools.accumulate(
                (length * speed for (length, _), speed in zip(phases, speeds, strict=True)),
                initial=0.0,
            )
        )[:-1]
        return cls(ends=ends, speeds=speeds, starts=starts)

    def progress_at(self, day: float) -> float:
        """Days of decay accumulated `day` days into the dream's life (never below zero)."""
        phase = min(bisect.bisect_right(self.ends, day), len(self.ends) - 1)
        begun = self.ends[phase - 1] if phase else 0.0
        return max(0.0, self.starts[phase] + (day - begun) * self.speeds[phase])
