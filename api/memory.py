"""Memory of a server process: garbage-collector settings, and the bounded LRU its caches use.

A worker holds a large, long-lived heap (the schema, prepared documents, plans, pools). With
CPython's default thresholds a full collection walks all of it every few thousand requests;
measured on the nested read with cache hits at c=16, those pauses set the tail: p95 36-42 ms,
p99 69-79 ms, against p95 4-5 ms and p99 6.5-7.3 ms with the startup heap frozen and a larger
first-generation threshold (10,000).

Full collections must still run: under concurrent load, request garbage that is still referenced
when a young collection runs (the requests in flight) moves to the oldest generation, and only a
full collection frees its cycles. With the older generations' thresholds raised as well (50, 1000)
a worker on the resolvers grew by ~35 KB per request at c=64 (30 MiB every 15 s) and never came
back; with CPython's (10, 10) over the unfrozen heap it levels off within a minute.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["SizedLru", "tune_gc"]

K = TypeVar("K")
V = TypeVar("V")


def tune_gc(threshold: int) -> None:
    """After startup: freeze what exists (it lives as long as the process) and collect the
    first generation every `threshold` allocations, the older ones at CPython's ratios (0 keeps
    CPython's defaults)."""
    if threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(threshold, 10, 10)


class SizedLru(Generic[K, V]):
    """A least-recently-used map bounded by its number of entries and by the total `size` of
    its values; a value larger than the whole bound is not kept."""

    def __init__(self, max_entries: int, max_size: int, size: Callable[[V], int]) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._max_entries = max_entries
        self._max_size = max_size
        self._size_of = size
        self.size = 0  # of the values kept

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: K) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is not None or key in self._entries:
            self._entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        size = self._size_of(value)
        if size > self._max_size:
            return
        if key in self._entries:
            self.size -= self._size_of(self._entries.pop(key))
        self._entries[key] = value
        self.size += size
        while len(self._entries) > self._max_entries or self.size > self._max_size:
            self.size -= self._size_of(self._entries.popitem(last=False)[1])
