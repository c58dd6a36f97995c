"""How much to seed: named scales and per-table overrides."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta

__all__ = ["SCALES", "Counts", "SeedOptions", "default_anchor", "resolve_counts"]


@dataclass(frozen=True, slots=True)
class Counts:
    """Rows per table. Progress logs follow from the AI tests (one snapshot per few tests)."""

    users: int
    dreams: int
    ai_tests: int
    projects: int
    project_files: int
    project_collaborators: int
    messages: int
    token_usage: int
    api_response_times: int

    def scaled(self, factor: int) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) * factor for f in fields(self)})


_MEDIUM = Counts(
    users=10_000,
    dreams=100_000,
    ai_tests=1_000_000,
    projects=20_000,
    project_files=100_000,
    project_collaborators=30_000,
    messages=1_000_000,
    token_usage=2_000_000,
    api_response_times=50_000,
)

SCALES: dict[str, Counts] = {
    # `tiny` keeps the seed tests fast; `small` is what a demo needs.
    "tiny": Counts(
        users=40,
        dreams=120,
        ai_tests=1_200,
        projects=60,
        project_files=240,
        project_collaborators=60,
        messages=800,
        token_usage=1_500,
        api_response_times=200,
    ),
    "small": Counts(
        users=300,
        dreams=1_500,
        ai_tests=15_000,
        projects=600,
        project_files=3_000,
        project_collaborators=600,
        messages=12_000,
        token_usage=20_000,
        api_response_times=2_000,
    ),
    "medium": _MEDIUM,
    "large": _MEDIUM.scaled(10),
}


def resolve_counts(scale: str, overrides: dict[str, int] | None = None) -> Counts:
    """The counts of `scale`, with any table's count replaced by `overrides[table]`."""
    try:
        counts = SCALES[scale]
    except KeyError:
        names = ", ".join(SCALES)
        raise ValueError(f"unknown scale {scale!r}: choose one of {names}") from None
    counts = replace(counts, **(overrides or {}))
    _check(counts)
    return counts


# table -> the table its rows need at least one row of
_NEEDS = {
    "dreams": "users",
    "projects": "users",
    "token_usage": "users",
    "ai_tests": "dreams",
    "project_files": "projects",
    "project_collaborators": "projects",
    "messages": "projects",
}


def _check(counts: Counts) -> None:
    for f in fields(counts):
        if getattr(counts, f.name) < 0:
            raise ValueError(f"--{f.name.replace('_', '-')} can't be negative")
    for table, parent in _NEEDS.items():
        if getattr(counts, table) > 0 and getattr(counts, parent) == 0:
            raise ValueError(f"{table} need {parent}: give --{parent.replace('_', '-')} > 0")
    if counts.project_collaborators > 0 and counts.users < 2:
        raise ValueError("collaborators need a second user: give --users 2 or more")


def default_anchor() -> datetime:
    """The moment the seeded history ends: the start of the current hour (UTC).

    Data spans the 90 days before it, so "last 7 days" queries find rows; two runs within the
    same hour with the same random seed produce identical rows.
    """
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class SeedOptions:
    counts: Counts
    seed: int = 42
    anchor: datetime | None = None
    reset: bool = False
    drop_indexes: bool = True
    progress: bool = True
    environment: str | None = None
    allow_production: bool = False

    @property
    def history(self) -> timedelta:
        return timedelta(days=90)
