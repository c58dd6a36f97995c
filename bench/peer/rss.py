"""`python -m bench.peer --rss 300`: does a worker's memory stay flat under a mixed load?

One API worker with its caches runs `wrk` for `seconds` in rounds of `--round` seconds, each
round one part of the mix in turn: the 90 %-repeat mix, the nested read for random users, the
dashboard for random users, public dreams and trending projects (compiled and resolved paths);
in every round one request in `COLD_EVERY` carries a fresh `nonce` variable, so the operation
cache misses it and stores one more entry (hits, misses, and a cache that keeps growing).
After every round the worker's resident memory (VmRSS of its process tree, from /proc) is
printed with the round's figures; the summary compares the last round's RSS with the first's
(the goal: within +-10 %) and gives the peak.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from bench.api import loadavg
from bench.loadgen import NONCE, Load, Post, Result
from bench.peer.cpu import tree_pids
from bench.peer.database import BenchUsers
from bench.peer.queries import Pair, dashboard, mix, nested, public_dreams, trending_projects
from bench.peer.run import Generator, settle
from bench.peer.servers import Running

__all__ = ["MIXED", "RssRound", "rss_run", "summary", "tree_rss_mib"]

MIXED: tuple[tuple[str, Callable[[BenchUsers], Pair]], ...] = (
    ("90% repeats / 10% cold", lambda u: mix(u.pro, u.demo)),
    ("nested read, random users", lambda u: nested(u.random)),
    ("dashboard, random users", lambda u: dashboard(u.random)),
    ("public dreams", lambda _u: public_dreams()),
    ("trending projects", lambda _u: trending_projects()),
)


COLD_EVERY = 4


def _with_cold(load: Load) -> Load:
    """`load` with every `COLD_EVERY`-th request a cache miss (its first post with a nonce)."""
    if load.unique is not None:
        return load
    first = load.posts[0]
    body = json.loads(first.body)
    body["variables"] = {**(body.get("variables") or {}), "nonce": NONCE}
    cold = Post(json.dumps(body, separators=(",", ":")), first.headers)
    return replace(load, unique=cold, unique_every=COLD_EVERY)


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and its descendants, in MiB."""
    return sum(_rss_kib(p) for p in tree_pids(pid)) / 1024


@dataclass(frozen=True, slots=True)
class RssRound:
    ended_s: float
    label: str
    result: Result
    rss_mib: float
    load: str


def rss_run(
    running: Running, users: BenchUsers, drive: Generator, *, seconds: float
) -> list[RssRound]:
    """Rounds of the mix until `seconds` have passed, printed as they end."""
    loads = [(label, _with_cold(make(users).api)) for label, make in MIXED]
    rounds: list[RssRound] = []
    started = time.monotonic()
    print(f"worker RSS at start: {tree_rss_mib(running.pid):.1f} MiB; load {loadavg()}")
    n = 0
    while time.monotonic() - started < seconds:
        label, load = loads[n % len(loads)]
        result = drive(running.base, load)
        settle(running)
        done = RssRound(
            time.monotonic() - started, label, result, tree_rss_mib(running.pid), loadavg()
        )
        rounds.append(done)
        print(
            f"  {done.ended_s:5.0f} s  {result.report(label)}  RSS {done.rss_mib:6.1f} MiB"
            f"  load {done.load}",
            flush=True,
        )
        n += 1
    return rounds


def summary(rounds: list[RssRound]) -> str:
    first, last = rounds[0].rss_mib, rounds[-1].rss_mib
    peak = max(r.rss_mib for r in rounds)
    requests = sum(r.result.requests for r in rounds)
    errors = sum(r.result.errors for r in rounds)
    change = (last - first) / first * 100 if first else float("nan")
    return (
        f"worker RSS over {rounds[-1].ended_s:.0f} s ({len(rounds)} rounds, {requests:,} requests,"
        f" {errors} errors): after the first round {first:.1f} MiB, at the end {last:.1f} MiB"
        f" ({change:+.1f} %), peak {peak:.1f} MiB; load average at the end {rounds[-1].load}"
    )
