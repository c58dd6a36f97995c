"""Helpers every batch function uses to return results in key order, as DataLoader requires."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

__all__ = ["grouped", "ordered", "storable"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def ordered(keys: Sequence[K], rows: Iterable[T], key_of: Callable[[T], K]) -> list[T | None]:
    """One result per key, `None` where no row matched."""
    by_key = {key_of(row): row for row in rows}
    return [by_key.get(key) for key in keys]


def grouped(keys: Sequence[K], rows: Iterable[T], key_of: Callable[[T], K]) -> list[list[T]]:
    """Each key's rows, in the order the rows came (an empty list where none matched)."""
    groups: defaultdict[K, list[T]] = defaultdict(list)
    for row in rows:
        groups[key_of(row)].append(row)
    return [groups.get(key, []) for key in keys]


def storable(text: str) -> bool:
    """Whether PostgreSQL can hold `text`: no NUL character and no unpaired surrogate (which
    JSON's `\\ud800` escapes can smuggle in). Keys that aren't can match no row."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
