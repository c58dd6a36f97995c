"""A push plan: ordered DDL steps, and the risks to data that must be cleared before any runs.

Steps run in phases. `ENUM_VALUES` adds enum labels in its own transaction (PostgreSQL forbids
using a label in the transaction that added it). `MAIN` is one transaction holding every other
change, ordered by `order` (drops before creates, tables before their indexes and foreign keys).
`CONCURRENT` builds indexes on tables that already hold rows with CREATE INDEX CONCURRENTLY,
outside any transaction, so writers are not blocked. `DEFERRED` adds the foreign keys that need
one of those indexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["Order", "Phase", "Plan", "Risk", "Step"]


class Phase(IntEnum):
    ENUM_VALUES = 0
    MAIN = 1
    CONCURRENT = 2
    DEFERRED = 3


class Order(IntEnum):
    """Position of a step inside the MAIN transaction."""

    CREATE_ENUM = 10
    RECREATE_ENUM = 15
    DROP_FOREIGN_KEY = 20
    DROP_INDEX = 25
    DROP_PRIMARY_KEY = 30
    DROP_TABLE = 35
    CREATE_TABLE = 40
    DROP_COLUMN = 50
    ADD_COLUMN = 55
    ALTER_COLUMN = 60
    ADD_PRIMARY_KEY = 70
    CREATE_INDEX = 80
    ADD_FOREIGN_KEY = 90
    DROP_ENUM = 95


@dataclass(frozen=True)
class Step:
    summary: str
    sql: tuple[str, ...]
    phase: Phase = Phase.MAIN
    order: int = 0


@dataclass(frozen=True)
class Risk:
    """A change that loses data if `count_sql` finds any.

    `loss` is a sentence with `{n}` for the count. An `unexecutable` risk cannot be applied
    even with `--accept-data-loss` (PostgreSQL would reject it); only `--force-reset` helps.
    """

    change: str
    count_sql: str
    loss: str
    unexecutable: bool = False


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list[Step])
    risks: list[Risk] = field(default_factory=list[Risk])

    def add(self, summary: str, *sql: str, phase: Phase = Phase.MAIN, order: int = 0) -> None:
        self.steps.append(Step(summary, tuple(sql), phase, order))

    def ordered(self) -> list[Step]:
        return sorted(self.steps, key=lambda s: (s.phase, s.order))

    def phase(self, phase: Phase) -> list[Step]:
        return [s for s in self.ordered() if s.phase == phase]

    @property
    def statements(self) -> list[str]:
        return [sql for step in self.ordered() for sql in step.sql]
