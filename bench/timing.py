"""Per-call timing for the ORM benches: warm up, then one sample per call, in microseconds."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import perf_counter_ns, process_time_ns

__all__ = ["Interleaved", "interleaved_us", "samples_us", "samples_us_sync"]


def _warmup(iterations: int) -> int:
    return max(50, iterations // 10)


@dataclass
class Interleaved:
    """Per-call wall samples, CPU time and the garbage collector's share of each side."""

    wall: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    cpu_ns: list[int] = field(default_factory=lambda: [0, 0])
    calls: list[int] = field(default_factory=lambda: [0, 0])
    gc_ns: list[int] = field(default_factory=lambda: [0, 0])
    collections: list[int] = field(default_factory=lambda: [0, 0])
    side: int = 0
    _gc_started: int = 0

    def cpu_us(self, side: int) -> float:
        return self.cpu_ns[side] / 1000 / self.calls[side]

    def gc_us(self, side: int) -> float:
        """Time in CPython's cyclic collector per call: the cost of the container objects a
        call leaves alive long enough to be counted (dicts, instances, lists)."""
        return self.gc_ns[side] / 1000 / self.calls[side]

    def on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = perf_counter_ns()
        else:
            self.gc_ns[self.side] += perf_counter_ns() - self._gc_started
            self.collections[self.side] += 1


async def interleaved_us(
    first: Callable[[], Awaitable[object]],
    second: Callable[[], Awaitable[object]],
    iterations: int,
    *,
    blocks: int = 20,
) -> Interleaved:
    """`iterations` calls of each side in alternating blocks (each round starting with the
    side that went second the round before), after a warm-up of both: a machine whose load
    drifts during the run weighs on both sides alike, not on whichever ran in the busier
    half. Wall time per call, this process's CPU time (which the machine's load skews
    least) and the cyclic garbage collector's time per side (a collection counts for the
    side whose block was running)."""
    sides = (first, second)
    for call in sides:
        for _ in range(_warmup(iterations)):
            await call()
    result = Interleaved()
    block = max(1, iterations // blocks)
    gc.callbacks.append(result.on_gc)
    try:
        for round_ in range(blocks):
            for side in (0, 1) if round_ % 2 == 0 else (1, 0):
                call, samples, result.side = sides[side], result.wall[side], side
                cpu_started = process_time_ns()
                for _ in range(block):
                    start = perf_counter_ns()
                    await call()
                    samples.append((perf_counter_ns() - start) / 1000)
                result.cpu_ns[side] += process_time_ns() - cpu_started
                result.calls[side] += block
    finally:
        gc.callbacks.remove(result.on_gc)
    return result


async def samples_us(call: Callable[[], Awaitable[object]], iterations: int) -> list[float]:
    for _ in range(_warmup(iterations)):
        await call()
    samples: list[float] = []
    for _ in range(iterations):
        start = perf_counter_ns()
        await call()
        samples.append((perf_counter_ns() - start) / 1000)
    return samples


def samples_us_sync(call: Callable[[], object], iterations: int) -> list[float]:
    for _ in range(_warmup(iterations)):
        call()
    samples: list[float] = []
    for _ in range(iterations):
        start = perf_counter_ns()
        call()
        samples.append((perf_counter_ns() - start) / 1000)
    return samples
