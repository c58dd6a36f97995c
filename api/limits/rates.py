"""Rates as operators write them (`600/minute`, `30/10s`, `off`) and the policy built from them.

`LimitPolicy.buckets(fields)` lists what one request takes: one token from the viewer's `all`
bucket, and from each root field's bucket as many tokens as the operation selects that field
(aliases included: `a: recordAiTest(...) b: recordAiTest(...)` takes two). Fields are counted by
their schema name, so renaming an operation or aliasing a field doesn't dodge its limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_FIELD_RATE",
    "DEFAULT_REGISTRATION_RATE",
    "DEFAULT_VIEWER_RATE",
    "Bucket",
    "LimitPolicy",
    "Rate",
    "parse_field_rates",
    "parse_rate",
]

_UNITS = {"s": 1, "second": 1, "m": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}
_UNITS["day"] = 86400
_NAMES = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}
_RATE = re.compile(r"(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?")
_OFF = frozenset({"off", "none", "false", "0"})
_FIELD = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


@dataclass(frozen=True, slots=True)
class Rate:
    """`limit` requests per `seconds`, `limit` of them at once (a burst refills evenly)."""

    limit: int
    seconds: int

    def __str__(self) -> str:
        unit = _NAMES.get(self.seconds)
        return f"{self.limit}/{unit}" if unit else f"{self.limit}/{self.seconds}s"

    def describe(self) -> str:
        unit = _NAMES.get(self.seconds)
        return f"{self.limit} per {unit}" if unit else f"{self.limit} per {self.seconds} s"


DEFAULT_VIEWER_RATE = Rate(600, 60)
DEFAULT_FIELD_RATE = Rate(300, 60)
DEFAULT_REGISTRATION_RATE = Rate(30, 60)  # a client registers each of its documents once


def parse_rate(text: str) -> Rate | None:
    """`600/minute`, `10/s`, `100/15m`, `5/day`; `off` (or `0`, `none`) is no limit."""
    raw = text.strip().lower()
    if raw in _OFF:
        return None
    match = _RATE.fullmatch(raw)
    if match is None or match.group(3) not in _UNITS:
        raise ValueError("expected a rate such as 600/minute, 10/second, 100/15m, or off")
    limit, count = int(match.group(1)), int(match.group(2) or 1)
    if limit < 1 or count < 1:
        raise ValueError("a rate needs at least 1 request per at least 1 unit (or off)")
    return Rate(limit, count * _UNITS[match.group(3)])


def parse_field_rates(text: str) -> tuple[tuple[str, Rate | None], ...]:
    """`recordAiTest=30/minute, createDream=10/minute, dreams=off`."""
    rates: list[tuple[str, Rate | None]] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, rate = item.partition("=")
        name = name.strip()
        if not sep or _FIELD.fullmatch(name) is None:
            raise ValueError(f"{item!r} is not field=rate (e.g. recordAiTest=30/minute)")
        rates.append((name, parse_rate(rate)))
    return tuple(rates)


@dataclass(frozen=True, slots=True)
class Bucket:
    """`name`: `all`, or a root field's name (the chart route counts as `charts`)."""

    name: str
    rate: Rate
    cost: int = 1


@dataclass(frozen=True, slots=True)
class LimitPolicy:
    viewer: Rate | None
    per_field: Rate | None
    fields: Mapping[str, Rate | None] = field(default_factory=dict[str, "Rate | None"])

    @property
    def enabled(self) -> bool:
        return self.viewer is not None or self.per_field is not None or any(self.fields.values())

    def buckets(self, fields: Mapping[str, int]) -> list[Bucket]:
        buckets = [Bucket("all", self.viewer)] if self.viewer is not None else []
        for name, count in sorted(fields.items()):
            rate = self.fields.get(name, self.per_field)
            if rate is not None:
                buckets.append(Bucket(name, rate, count))
        return buckets
