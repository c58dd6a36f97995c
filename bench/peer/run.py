"""Cases, interleaved runs and their medians.

Each case runs `runs` times on each server, alternating (API, PostGraphile, PostGraphile, API,
...) so that a change in the machine's load falls on both; each run is one `wrk` of `seconds`.
A run's CPU per request is the server process tree's, and separately its PostgreSQL sessions',
over the run (`cpu.py`), divided by the requests answered.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from bench.api import loadavg
from bench.loadgen import Load, Result
from bench.peer.cpu import Meter
from bench.peer.database import BenchUsers
from bench.peer.queries import Pair, dashboard, mix, nested, public_dreams, trending_projects
from bench.peer.servers import Running

__all__ = [
    "CASES",
    "Case",
    "Generator",
    "Measured",
    "Servers",
    "median_of",
    "run_case",
    "settle",
]

Generator = Callable[[str, Load], Result]  # (base URL, load) -> result, at a fixed concurrency


@dataclass(frozen=True, slots=True)
class Case:
    key: str
    label: str
    connections: int
    cached: bool  # on the API with its caches (repeats, mix) or without (uncached reads)
    load: Callable[[BenchUsers], Pair]


CASES: tuple[Case, ...] = (
    Case("nested", "nested read, uncached, random users", 16, False, lambda u: nested(u.random)),
    Case("nested", "nested read, uncached, random users", 64, False, lambda u: nested(u.random)),
    Case("full", "nested read, uncached, full 20x5 users", 16, False, lambda u: nested(u.full)),
    Case("full", "nested read, uncached, full 20x5 users", 64, False, lambda u: nested(u.full)),
    Case("repeated", "nested read, repeated, one user", 16, True, lambda u: nested([u.pro])),
    Case("repeated", "nested read, repeated, one user", 64, True, lambda u: nested([u.pro])),
    Case("mix", "90% repeats / 10% cold", 64, True, lambda u: mix(u.pro, u.demo)),
    Case("dashboard", "dashboard uncached, random users", 16, False, lambda u: dashboard(u.random)),
    Case("public", "public dreams, uncached", 16, False, lambda u: public_dreams()),
    Case("trending", "trending projects, uncached", 16, False, lambda u: trending_projects()),
)


@dataclass(frozen=True, slots=True)
class Servers:
    database_url: str
    api_cached: Running
    api_uncached: Running
    peer: Running

    def api(self, case: Case) -> Running:
        return self.api_cached if case.cached else self.api_uncached


@dataclass(frozen=True, slots=True)
class Measured:
    result: Result
    cpu_ms: float  # server CPU per answered request
    db_ms: float  # its PostgreSQL sessions' CPU per answered request
    load: str

    @property
    def rps(self) -> float:
        return self.result.requests / self.result.seconds if self.result.seconds else 0.0


def settle(running: Running) -> None:
    """Wait until requests a run left queued are answered: the next run starts on an idle server."""
    body = {"query": "{ __typename }"}
    httpx.post(f"{running.base}/graphql", json=body, timeout=120)


def measure(database_url: str, running: Running, load: Load, drive: Generator) -> Measured:
    meter = Meter(database_url, running.pid, running.application)
    settle(running)
    meter.start()
    result = drive(running.base, load)
    settle(running)
    spent = meter.stop()
    per_request = 1000 / max(result.requests, 1)
    return Measured(result, spent.server * per_request, spent.database * per_request, loadavg())


def run_case(
    case: Case, pair: Pair, servers: Servers, drive: Generator, *, runs: int
) -> tuple[list[Measured], list[Measured]]:
    """`runs` measurements on each side, interleaved, printed as they come."""
    api: list[Measured] = []
    peer: list[Measured] = []
    for n in range(runs):
        order = ((api, servers.api(case), pair.api), (peer, servers.peer, pair.peer))
        for into, running, load in order if n % 2 == 0 else reversed(order):
            measured = measure(servers.database_url, running, load, drive)
            into.append(measured)
            label = f"  {case.label} c={case.connections} [{running.name} {n + 1}]"
            print(f"{measured.result.report(label)}  cpu {measured.cpu_ms:5.2f}"
                  f"+{measured.db_ms:.2f} ms/req  load {measured.load}", flush=True)  # fmt: skip
    return api, peer


def median_of(runs: Sequence[Measured], value: Callable[[Measured], float]) -> float:
    return statistics.median(value(m) for m in runs)
