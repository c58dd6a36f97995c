"""The DataLoader every loader here derives from.

aiodataloader hands every caller of `load(key)` the same future. graphql-core cancels the
pending sibling fields when an error nulls their non-null parent, and cancelling a task that
awaits a future cancels the future itself, so the other fields waiting on that key (another
branch of the same response) got `CancelledError` instead of their value, and it escaped the
whole request. Each caller here awaits its own shield of the shared future instead.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from aiodataloader import DataLoader

__all__ = ["Loader"]

K = TypeVar("K")
V = TypeVar("V")


class Loader(DataLoader[K, V]):
    def load(self, key: K) -> asyncio.Future[V]:
        return asyncio.shield(super().load(key))
