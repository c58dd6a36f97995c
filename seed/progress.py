"""Progress logs: snapshots of a dream's impossibility trend, taken every few completed tests.

Each snapshot covers the completed tests since the previous one: their average and best (lowest)
score, the models that ran them, the cumulative test count, and the percent change of the
average against the previous snapshot (negative means the dream is getting more possible).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from seed.ai_models import ModelSpec
from seed.context import SeedContext, cents, to_datetime
from seed.ids import IdFactory

__all__ = ["COLUMNS", "ProgressTracker"]

COLUMNS: Sequence[str] = (
    "id",
    "dream_id",
    "average_impossibility",
    "best_score",
    "test_count",
    "active_models",
    "improvement_trend",
    "snapshot_data",
    "created_at",
)

_TREND_LIMIT = 999.99  # numeric(5, 2)


@dataclass(slots=True)
class _Window:
    scores: list[float] = field(default_factory=list[float])
    models: dict[str, list[float]] = field(default_factory=dict[str, list[float]])
    failed: int = 0
    last_ts: float = 0.0


class ProgressTracker:
    """Fed the tests of one dream at a time, in time order; collects the snapshots as rows."""

    def __init__(self, ctx: SeedContext) -> None:
        self._rng: random.Random = ctx.rng("progress_logs")
        self._new_id: IdFactory = ctx.ids("progress_logs")
        self.rows: list[tuple[object, ...]] = []
        self._dream_id = ""
        self._every = 5
        self._total = 0
        self._previous: float | None = None
        self._window = _Window()

    def start(self, dream_id: str) -> None:
        self._dream_id = dream_id
        self._every = self._rng.randint(4, 8)
        self._total = 0
        self._previous = None
        self._window = _Window()

    def record(self, ts: float, model: ModelSpec, status: str, score: float) -> None:
        window = self._window
        window.last_ts = ts
        if status == "FAILED":
            window.failed += 1
        if status != "COMPLETED":
            return
        window.scores.append(score)
        window.models.setdefault(model.name, []).append(score)
        if len(window.scores) >= self._every:
            self._snapshot()

    def finish(self) -> None:
        if self._window.scores:
            self._snapshot()

    def _snapshot(self) -> None:
        window = self._window
        self._window = _Window()
        scores = window.scores
        self._total += len(scores)
        average = sum(scores) / len(scores)
        trend = 0.0
        if self._previous:
            change = (average - self._previous) / self._previous * 100
            trend = max(-100.0, min(_TREND_LIMIT, change))
        self._previous = average
        snapshot = {
            "window_tests": len(scores),
            "failed": window.failed,
            "by_model": {name: round(sum(s) / len(s), 2) for name, s in window.models.items()},
        }
        at = to_datetime(window.last_ts + 1)
        self.rows.append(
            (
                self._new_id(window.last_ts + 1),
                self._dream_id,
                cents(average),
                cents(min(scores)),
                self._total,
                sorted(window.models),
                cents_signed(trend),
                json.dumps(snapshot),
                at,
            )
        )


def cents_signed(value: float) -> Decimal:
    """A trend (which may be negative) rounded to two decimals."""
    return Decimal(f"{value:.2f}")
