"""Deterministic cuid-like ids.

A cuid is 25 lowercase alphanumerics starting with `c`, roughly ordered by creation time. Ours
are `c` + 11 hex digits of the creation time in milliseconds + 6 hex digits of a per-table
counter + 7 random hex digits from the seeded generator: unique within a table, the same for the
same seed, and sorted by time, so `(project_id, id)` cursor pagination follows message order.
"""

from __future__ import annotations

import random

__all__ = ["IdFactory"]

_COUNTER_LIMIT = 16**6


class IdFactory:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._counter = 0

    def __call__(self, created_at: float) -> str:
        """The next id, for a row created at POSIX time `created_at`."""
        self._counter += 1
        millis = round(created_at * 1000)
        counter = self._counter % _COUNTER_LIMIT
        return f"c{millis:011x}{counter:06x}{self._rng.getrandbits(28):07x}"
