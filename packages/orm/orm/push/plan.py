"""A push plan: ordered DDL steps, the table locks they need, and the risks to data.

Steps run in phases, so that a push that fails, is refused or is killed leaves a schema a rerun
converges from, with every foreign key and constraint in place:

- `ENUM_VALUES` adds enum labels in their own transaction (PostgreSQL forbids using a label in
  the transaction that added it). Additive: harmless if what follows fails.
- `CONCURRENT` builds indexes on tables that already hold rows with CREATE INDEX CONCURRENTLY,
  outside any transaction, *before* anything else changes, so writers are not blocked. An index
  that replaces one of the same name is built under a temporary name and swapped in by `MAIN`.
  A failed build is dropped again; nothing depends on these indexes until `MAIN` commits.
- `MAIN` is one transaction holding every other change: it locks the tables its steps touch
  (`locks`, strongest mode per table, in name order), re-reads the catalog, counts what the
  change would lose, and applies it. Steps run in `order` (drops before creates, tables before
  their indexes and foreign keys).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["Lock", "Order", "Phase", "Plan", "Risk", "Step", "strongest_locks"]


class Phase(IntEnum):
    ENUM_VALUES = 0
    CONCURRENT = 1
    MAIN = 2


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


class Lock(IntEnum):
    """The table lock modes DDL takes, weakest first. Each conflicts with every session lock
    the ones before it conflict with, so holding a stronger one makes a weaker request free."""

    SHARE = 5  # CREATE INDEX
    SHARE_ROW_EXCLUSIVE = 6  # ADD FOREIGN KEY (both tables)
    ACCESS_EXCLUSIVE = 8  # ALTER TABLE, DROP INDEX, DROP TABLE, DROP CONSTRAINT

    @property
    def sql(self) -> str:
        return self.name.replace("_", " ")


TableLock = tuple[str, Lock]


@dataclass(frozen=True)
class Step:
    """One change. `locks` are the existing tables it locks; `builds` names the index a
    CONCURRENT step creates (dropped again when the push fails)."""

    summary: str
    sql: tuple[str, ...]
    phase: Phase = Phase.MAIN
    order: int = 0
    locks: tuple[TableLock, ...] = ()
    builds: str | None = None


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


def strongest_locks(locks: Iterable[TableLock]) -> list[TableLock]:
    """One lock per table, the strongest asked for, in table-name order (so two pushes, or a
    push and a retry, always queue for tables in the same order)."""
    strongest: dict[str, Lock] = {}
    for table, mode in locks:
        strongest[table] = max(mode, strongest.get(table, mode))
    return sorted(strongest.items())


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list[Step])
    risks: list[Risk] = field(default_factory=list[Risk])
    left_alone: list[str] = field(default_factory=list[str])
    """Objects in the schema that db push did not create and leaves as they are."""

    def add(
        self,
        summary: str,
        *sql: str,
        phase: Phase = Phase.MAIN,
        order: int = 0,
        locks: Iterable[TableLock] = (),
        builds: str | None = None,
    ) -> None:
        self.steps.append(Step(summary, tuple(sql), phase, order, tuple(locks), builds))

    def ordered(self) -> list[Step]:
        return sorted(self.steps, key=lambda s: (s.phase, s.order))

    def phase(self, phase: Phase) -> list[Step]:
        return [s for s in self.ordered() if s.phase == phase]

    def locks(self, phase: Phase = Phase.MAIN) -> list[TableLock]:
        return strongest_locks(lock for step in self.phase(phase) for lock in step.locks)

    @property
    def statements(self) -> list[str]:
        return [sql for step in self.ordered() for sql in step.sql]
