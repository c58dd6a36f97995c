"""`tune_gc`: fewer collections of the startup heap, but garbage that outlived young
collections is still freed (a worker under concurrent load must not grow without bound)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from api.memory import SizedLru

# In a fresh interpreter: the test process's own collector settings stay untouched.
_PROGRAM = textwrap.dedent(
    """
    import gc, sys
    from api.memory import tune_gc

    class Node:
        def __init__(self):
            self.me = self  # a cycle: only the collector frees it

    tune_gc(int(sys.argv[1]))
    full = gc.get_stats()[2]["collections"]
    survivors = []
    for i in range(3_000_000):
        survivors.append(Node())
        if len(survivors) == 50_000:  # in flight through a few young collections, then garbage
            survivors = []
    print(gc.get_stats()[2]["collections"] - full, len(gc.get_objects(2)))
    """
)


def _run(threshold: int) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(threshold)],
        capture_output=True,
        text=True,
        check=True,
    )
    full, oldest = done.stdout.split()
    return int(full), int(oldest)


def test_full_collections_still_free_garbage_that_outlived_young_collections() -> None:
    full, oldest = _run(10_000)
    assert full >= 1
    # what is left in the oldest generation is bounded by the collections' period, not by
    # the 3,000,000 cycles made
    assert oldest < 1_500_000


def test_frozen_startup_heap_is_not_walked_by_full_collections() -> None:
    program = textwrap.dedent(
        """
        import gc
        from api.memory import tune_gc
        before = [object() for _ in range(1000)]
        tune_gc(10_000)
        print(gc.get_freeze_count())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert int(done.stdout) > 0


def test_a_sized_lru_keeps_its_bounds_through_replacements_and_oversized_values() -> None:
    cache = SizedLru[str, str](max_entries=3, max_size=10, size=len)
    cache.put("a", "aaaa")
    cache.put("b", "bbbb")
    cache.put("a", "a")  # replaced: its old size no longer counts
    assert (len(cache), cache.size) == (2, 5)
    cache.put("huge", "x" * 11)  # larger than the whole bound: not kept, nothing evicted
    assert "huge" not in cache
    assert len(cache) == 2
    assert cache.get("b") == "bbbb"  # now the most recent
    cache.put("c", "cccccc")  # 1 + 4 + 6 > 10: the least recent ("a") goes
    assert "a" not in cache
    assert cache.get("b") == "bbbb"
    assert cache.size == 10
