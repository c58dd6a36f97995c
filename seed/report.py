"""What a seed run did: rows and time per table, and the demo accounts to log in with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from seed.demo import DEMO_ACCOUNTS, DemoAccount

__all__ = ["SeedReport", "TableReport"]


@dataclass(frozen=True, slots=True)
class TableReport:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass(frozen=True, slots=True)
class SeedReport:
    scale: str
    seed: int
    anchor: datetime
    tables: tuple[TableReport, ...]
    load_seconds: float
    index_seconds: float
    finish_seconds: float
    total_seconds: float
    demo_accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def counts(self) -> dict[str, int]:
        return {t.table: t.rows for t in self.tables}

    def summary(self) -> str:
        lines = [
            f"Seeded {self.rows:,} rows (scale {self.scale}, seed {self.seed}, history up to "
            f"{self.anchor:%Y-%m-%d %H:%M} UTC) in {self.total_seconds:.1f}s: load "
            f"{self.load_seconds:.1f}s, indexes {self.index_seconds:.1f}s, "
            f"views and statistics {self.finish_seconds:.1f}s.",
            "",
            f"{'table':<24}{'rows':>12}{'seconds':>10}{'rows/s':>12}",
        ]
        lines += [
            f"{t.table:<24}{t.rows:>12,}{t.seconds:>10.2f}{t.rows_per_second:>12,.0f}"
            for t in self.tables
        ]
        lines += ["", "Demo accounts (password Demo123!):"]
        lines += [
            f"  {a.email:<20} {a.role:<6} {a.plan:<5} Bearer {a.token}  ({a.about})"
            for a in self.demo_accounts
        ]
        return "\n".join(lines)
