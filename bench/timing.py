"""Per-call timing for the ORM benches: warm up, then one sample per call, in microseconds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from time import perf_counter_ns, process_time_ns

__all__ = ["cpu_us", "samples_us", "samples_us_sync"]


def _warmup(iterations: int) -> int:
    return max(50, iterations // 10)


async def cpu_us(call: Callable[[], Awaitable[object]], iterations: int) -> float:
    """This process's CPU time per call (after the warm-up), in microseconds: unlike wall time,
    it does not count the waits a shared, loaded machine adds to every round trip."""
    for _ in range(_warmup(iterations)):
        await call()
    started = process_time_ns()
    for _ in range(iterations):
        await call()
    return (process_time_ns() - started) / 1000 / iterations


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
