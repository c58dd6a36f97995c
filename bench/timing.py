"""Per-call timing for the ORM benches: warm up, then one sample per call, in microseconds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import perf_counter_ns, process_time_ns

__all__ = ["Interleaved", "interleaved_us", "samples_us", "samples_us_sync"]


def _warmup(iterations: int) -> int:
    return max(50, iterations // 10)


@dataclass
class Interleaved:
    """Per-call wall samples and CPU time of each side, in microseconds."""

    wall: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    cpu_ns: list[int] = field(default_factory=lambda: [0, 0])
    calls: list[int] = field(default_factory=lambda: [0, 0])

    def cpu_us(self, side: int) -> float:
        return self.cpu_ns[side] / 1000 / self.calls[side]


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
    half. Wall time per call, and this process's CPU time (which the machine's load skews
    least) per side."""
    sides = (first, second)
    for call in sides:
        for _ in range(_warmup(iterations)):
            await call()
    result = Interleaved()
    block = max(1, iterations // blocks)
    for round_ in range(blocks):
        for side in (0, 1) if round_ % 2 == 0 else (1, 0):
            call, samples = sides[side], result.wall[side]
            cpu_started = process_time_ns()
            for _ in range(block):
                start = perf_counter_ns()
                await call()
                samples.append((perf_counter_ns() - start) / 1000)
            result.cpu_ns[side] += process_time_ns() - cpu_started
            result.calls[side] += block
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
