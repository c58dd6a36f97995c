"""Scale-out figures on one machine: 1 primary vs primary + 2 replicas, PgBouncer vs direct.

    python -m bench.scale [--seconds 5] [--connections 16] [--seed-scale small] [--pairs 10000]
    python -m bench.scale --bouncer [--rounds 3] [--seconds 5]   # PgBouncer vs direct only

Starts a topology (`scale.Topology`: primary, 2 streaming replicas, PgBouncer, Redis) and, per
configuration, one API process in front of it, then drives with `wrk` (or httpx):

- `nested`: DreamsWithTests (20 dreams x 5 tests) with the operation cache off: the primary's
  work (a viewer's own data is never routed to a replica);
- `mix`: the same read, 90 % repeated documents and 10 % unique (cache on);
- `analytics`: `myBudget` with the operation cache off: routed to replicas when there are some.

For each it prints req/s, p50/p95/p99 and the share of reads each node served (from the API's
`/health/database`). Everything shares this machine's CPUs, so replicas add no capacity here:
read it as a routing and overhead check. `--pairs` then runs write-then-read pairs through two
API processes with replay paused on both replicas and counts stale reads. Note the load average
printed with the figures.

`--bouncer`: the nested read (one compiled statement) through the API, uncached, with one API
process per way of reaching the primary (direct; direct with `pgbouncer=true`; PgBouncer without
prepared statements, all 1.18 allows; PgBouncer 1.21+ keeping them), driven in turn for
`--rounds` interleaved rounds: req/s, and CPU per request (from /proc: the API process, PgBouncer
and PostgreSQL's processes, each by session; their CPU at rest is printed, as it is part of the
figures), each way's median over the rounds and its ratio to direct, and each round's ratio to
direct in the same round. CPU per request is what to compare on a loaded machine; req/s moves
with the load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable
from typing import cast

import asyncpg
import httpx

from bench.api import OPERATIONS, TOKENS, Operation, loadavg, mix_load
from bench.loadgen import Load, Result, have_wrk, run_httpx, run_wrk
from prisma import Prisma
from scale import Topology, TopologyOptions
from scale.processes import Child

BUDGET = Operation("Budget", "query Budget { myBudget { tokenSpend } }", token=TOKENS["pro"])
RECORD = (
    'mutation Record($model: String!) { recordTokenUsage(input: {endpoint: "/chat", '
    'model: $model, promptTokens: 10, completionTokens: 5, cost: "0.001"}) { id } }'
)
USAGE = "query Usage { tokenUsage(groupBy: MODEL) { key requests } }"
QUIET = {"RATE_LIMIT": "off", "RATE_LIMIT_PER_FIELD": "off", "LOG_LEVEL": "error"}

Reads = dict[str, int]


def _reads(base: str) -> Reads:
    body = httpx.get(f"{base}/health/database", timeout=10).json()
    nodes = cast(dict[str, dict[str, int]], body.get("replicas", {}).get("nodes", {}))
    return {name: node["reads"] for name, node in nodes.items()}


def _shares(before: Reads, after: Reads) -> str:
    served = {name: after[name] - before.get(name, 0) for name in after}
    total = sum(served.values())
    if not total:
        return "all reads on the primary"
    return ", ".join(f"{name} {count / total:.0%}" for name, count in served.items())


def _configurations(topo: Topology) -> list[tuple[str, dict[str, str]]]:
    no_replicas = {"DATABASE_REPLICA_URLS": ""}
    return [
        ("primary only, direct", {**no_replicas, "DATABASE_URL": topo.direct_url}),
        ("primary + 2 replicas, direct", {"DATABASE_URL": topo.direct_url}),
        ("primary only, PgBouncer", {**no_replicas, "DATABASE_URL": topo.pgbouncer_url}),
        ("primary + 2 replicas, PgBouncer", {"DATABASE_URL": topo.pgbouncer_url}),
    ]


def _loads() -> list[tuple[str, Load]]:
    nested = OPERATIONS[0]
    return [
        ("nested (uncached)", Load(posts=(nested.post(cache=False),))),
        ("mix (90 % repeats)", mix_load()),
        ("analytics (uncached)", Load(posts=(BUDGET.post(cache=False),))),
    ]


def _measure(topo: Topology, args: argparse.Namespace, drive: Callable[..., Result]) -> None:
    for label, overrides in _configurations(topo):
        api = topo.start_api(len(topo.apis), {**QUIET, **overrides})
        base = topo.api_urls[-1]
        print(f"\n{label}  (load average {loadavg()})")
        for name, load in _loads():
            drive(base, load, connections=args.connections, seconds=1)  # warm up
            before = _reads(base)
            result = drive(base, load, connections=args.connections, seconds=args.seconds)
            shares = _shares(before, _reads(base)) if before else "no replicas"
            print(f"  {result.report(name)}  [{shares}]")
        _stop(api)


def _stop(api: Child) -> None:
    api.stop()


_TICK = os.sysconf("SC_CLK_TCK")


def session_cpu(leaders: set[int]) -> dict[int, float]:
    """CPU seconds (user + system) of each of `leaders` with its live descendants: the processes
    in its session, and its direct children (PostgreSQL's backends start sessions of their own)."""
    found = dict.fromkeys(leaders, 0.0)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        parent, session = int(fields[1]), int(fields[3])  # after the state: ppid, pgrp, session
        leader = session if session in found else parent if parent in found else None
        if leader is not None:
            found[leader] += (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
    return found


def _idle_rates(pids: set[int], seconds: float = 3.0) -> dict[int, float]:
    """CPU milliseconds per second each of `pids` (with its descendants) spends with no load."""
    before = session_cpu(pids)
    time.sleep(seconds)
    after = session_cpu(pids)
    return {pid: (after[pid] - before[pid]) * 1000 / seconds for pid in pids}


def _settle(primary: int, *, below: float = 20.0, timeout: float = 90.0) -> None:
    """Wait until PostgreSQL is at rest (under `below` ms of CPU per second): after the seed
    and the vacuum it keeps working for a while (up to ~0.45 s of CPU per second seen)."""
    deadline = time.monotonic() + timeout
    while _idle_rates({primary}, seconds=2.0)[primary] >= below and time.monotonic() < deadline:
        pass


def _bouncer_ways(topo: Topology) -> list[tuple[str, str]]:
    ways = [
        ("direct", topo.direct_url),
        ("direct, pgbouncer=true", f"{topo.direct_url}?pgbouncer=true"),
        ("PgBouncer, no prepared statements", topo.pgbouncer_uncached_url),
    ]
    if topo.bouncer is not None and topo.bouncer.keeps_prepared_statements:
        ways.append(("PgBouncer, prepared statements", topo.pgbouncer_url))
    return ways


def _bouncer(topo: Topology, args: argparse.Namespace, drive: Callable[..., Result]) -> None:
    """API req/s and CPU per request of the uncached nested read, per way to the primary."""
    assert topo.pgbouncer is not None
    assert topo.primary.child is not None
    ways = _bouncer_ways(topo)
    load = Load(posts=(OPERATIONS[0].post(cache=False),))
    apis: list[tuple[str, Child, str]] = []
    for label, url in ways:
        env = {**QUIET, "DATABASE_REPLICA_URLS": "", "DATABASE_URL": url}
        apis.append((label, topo.start_api(len(topo.apis), env), topo.api_urls[-1]))
    bouncer, primary = topo.pgbouncer.pid, topo.primary.child.pid
    rates: dict[str, list[float]] = {label: [] for label, _ in ways}
    cpus: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in ways}
    try:
        # The seed left autovacuum work: do it now, not during the rounds.
        asyncio.run(node_sql(topo.direct_url, "VACUUM ANALYZE"))
        for _, _, base in apis:
            drive(base, load, connections=args.connections, seconds=1)  # warm up
        _settle(primary)
        idle = _idle_rates({bouncer, primary, *(api.pid for _, api, _ in apis)})
        at_rest = sum(idle[api.pid] for _, api, _ in apis)
        print(
            f"  CPU at rest, ms/s: PostgreSQL {idle[primary]:.1f}, PgBouncer {idle[bouncer]:.1f}, "
            f"API processes {at_rest:.1f} (in the figures below: background noise)"
        )
        for round_ in range(args.rounds):
            print(f"  round {round_ + 1}/{args.rounds} (load average {loadavg()})", flush=True)
            for label, api, base in apis:
                sessions = {api.pid, bouncer, primary}
                before = session_cpu(sessions)
                result = drive(base, load, connections=args.connections, seconds=args.seconds)
                after = session_cpu(sessions)
                spent = {pid: after[pid] - before[pid] for pid in sessions}
                per = 1000 / max(result.requests, 1)
                cpus[label].append(
                    (spent[api.pid] * per, spent[bouncer] * per, spent[primary] * per)
                )
                rates[label].append(result.requests / result.seconds)
                assert result.errors == 0, f"{label}: {result.errors} errors"
        after = _idle_rates({primary})[primary]
        print(f"  PostgreSQL at rest after the rounds: {after:.1f} ms/s")
    finally:
        for _, api, _ in apis:
            _stop(api)
    direct_rate = statistics.median(rates["direct"])
    direct_cpu = statistics.median(sum(c) for c in cpus["direct"])
    print(
        f"\nnested read, uncached, 1 API process, {args.connections} connections (load {loadavg()})"
    )
    print("  way to the primary                    req/s  (time x direct)   CPU ms/request:")
    print("  " + " " * 60 + "API + PgBouncer + PostgreSQL = total (x direct)")
    for label, _ in ways:
        rate = statistics.median(rates[label])
        api_ms, bouncer_ms, pg_ms = (statistics.median(c[i] for c in cpus[label]) for i in range(3))
        total = statistics.median(sum(c) for c in cpus[label])
        parts = f"{api_ms:5.2f} + {bouncer_ms:5.2f} + {pg_ms:5.2f}"
        print(
            f"  {label:<36} {rate:7.0f}  ({direct_rate / rate:4.2f}x)           "
            f"{parts} = {total:5.2f} ({total / direct_cpu:4.2f}x)"
        )
    print("  each round against direct in the same round, x direct:")
    for label, _ in ways[1:]:
        times = [d / r for d, r in zip(rates["direct"], rates[label], strict=True)]
        spent = [sum(c) / sum(d) for c, d in zip(cpus[label], cpus["direct"], strict=True)]
        print(f"  {label:<36} time {_median(times)}\n  {'':<36} CPU  {_median(spent)}")


async def _pairs(topo: Topology, pairs: int) -> tuple[int, float]:
    """Write-then-read pairs (writer and reader alternate between two API processes) with
    replay paused on every replica: how many reads missed their own write, and pairs/s."""
    # Lag limits off: only the write's WAL position keeps the paused replicas from serving.
    no_lag = {
        **QUIET,
        "DATABASE_REPLICA_MAX_LAG_SECONDS": "86400",
        "DATABASE_REPLICA_MAX_LAG_BYTES": str(2**40),
    }
    apis = [topo.start_api(len(topo.apis), no_lag) for _ in range(2)]
    a, b = topo.api_urls[-2:]
    model = f"bench-{time.time_ns()}"
    headers = {"Authorization": f"Bearer {TOKENS['team']}"}
    for url in topo.replica_urls:
        await node_sql(url, "SELECT pg_wal_replay_pause()")
    stale, started = 0, time.monotonic()
    try:
        async with httpx.AsyncClient(timeout=30, headers=headers) as http:
            for written in range(1, pairs + 1):
                writer, reader = (a, b) if written % 2 else (b, a)
                await http.post(
                    f"{writer}/graphql", json={"query": RECORD, "variables": {"model": model}}
                )
                answer = await http.post(
                    f"{reader}/graphql", json={"query": USAGE, "extensions": {"cache": False}}
                )
                rows = answer.json()["data"]["tokenUsage"]
                seen = sum(row["requests"] for row in rows if row["key"] == model)
                stale += seen != written
    finally:
        for url in topo.replica_urls:
            await node_sql(url, "SELECT pg_wal_replay_resume()")
        for api in apis:
            _stop(api)
    return stale, pairs / (time.monotonic() - started)


async def node_sql(url: str, query: str) -> None:
    """`query` on a node directly (past the API and its routing)."""
    conn = await asyncpg.connect(url)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    try:
        await conn.execute(query)  # pyright: ignore[reportUnknownMemberType]
    finally:
        await conn.close()  # pyright: ignore[reportUnknownMemberType]


async def _nested(db: Prisma, user_id: str) -> None:
    """The nested read at the ORM: a user's 20 latest dreams with their 5 latest tests."""
    await db.dream.find_many(
        where={"userId": user_id},
        take=20,
        order={"createdAt": "desc"},
        include={"aiTests": {"take": 5, "order_by": {"createdAt": "desc"}}},
    )


Ratios = list[list[float]]


async def _pgbouncer_ratios(topo: Topology, rounds: int, per_round: int) -> tuple[Ratios, Ratios]:
    """Per round, `per_round` nested reads one after another on each of: the primary directly,
    directly with `pgbouncer=true` (no statement cache: each statement parsed again), through
    PgBouncer without prepared statements, and through PgBouncer with them (1.21+), interleaved
    so the machine's load hits all alike. Returns each way's ratios to direct per round: of wall
    time, and of CPU time (this process, PgBouncer and PostgreSQL's processes)."""
    assert topo.pgbouncer is not None
    assert topo.primary.child is not None
    urls = [topo.direct_url, f"{topo.direct_url}?pgbouncer=true", topo.pgbouncer_uncached_url]
    urls.append(topo.pgbouncer_url)  # with prepared statements where PgBouncer keeps them
    clients = [Prisma(datasource={"url": url}, connection_limit=2) for url in urls]
    servers = {topo.pgbouncer.pid, topo.primary.child.pid}
    await node_sql(topo.direct_url, "VACUUM ANALYZE")  # the seed's autovacuum work, done now
    await asyncio.to_thread(_settle, topo.primary.child.pid)
    for db in clients:
        await db.connect()
    try:
        user = await clients[0].user.find_unique(where={"email": "pro@dreams.test"})
        assert user is not None
        walls: Ratios = [[] for _ in clients[1:]]
        cpus: Ratios = [[] for _ in clients[1:]]
        for _ in range(rounds):
            wall: list[float] = []
            cpu: list[float] = []
            for db in clients:
                before, started, mine = (
                    session_cpu(servers),
                    time.perf_counter(),
                    time.process_time(),
                )
                for _ in range(per_round):
                    await _nested(db, user.id)
                wall.append(time.perf_counter() - started)
                after = session_cpu(servers)
                theirs = sum(after[pid] - before[pid] for pid in servers)
                cpu.append(time.process_time() - mine + theirs)
            for index in range(1, len(clients)):
                walls[index - 1].append(wall[index] / wall[0])
                cpus[index - 1].append(cpu[index] / cpu[0])
        return walls, cpus
    finally:
        for db in clients:
            await db.disconnect()


def _median(values: list[float]) -> str:
    ordered = sorted(values)
    spread = ", ".join(f"{value:.2f}" for value in ordered)
    return f"median {ordered[len(ordered) // 2]:.3f} (rounds: {spread})"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seed-scale", default="small")
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9, help="PgBouncer/direct rounds")
    parser.add_argument("--orm-only", action="store_true", help="only the PgBouncer/direct rounds")
    parser.add_argument(
        "--bouncer", action="store_true", help="only PgBouncer vs direct through the API"
    )
    args = parser.parse_args()
    drive = run_wrk if have_wrk() else run_httpx
    # PgBouncer vs direct alone: no replicas, whose WAL senders would stream the vacuum's WAL
    # (~0.4 s of the primary's CPU per second for a while) through the measurement.
    alone = args.bouncer or args.orm_only
    options = TopologyOptions(
        replicas=0 if alone else 2, api_processes=0, seed_scale=args.seed_scale
    )
    print(f"starting the topology (seed {args.seed_scale}) ...", flush=True)
    with Topology(options) as topo:
        print(f"PgBouncer {topo.bouncer}", flush=True)
        if args.bouncer:
            _bouncer(topo, args, drive)
            return
        walls, cpus = asyncio.run(_pgbouncer_ratios(topo, args.rounds, 200))
        print(f"nested read at the ORM, 200 per round (load {loadavg()}), x direct:")
        ways = ("direct, pgbouncer=true", "PgBouncer, no prepared statements")
        for way, wall, cpu in zip(
            (*ways, "PgBouncer, prepared statements"), walls, cpus, strict=True
        ):
            print(f"  {way:<36} wall {_median(wall)}\n  {'':<36} CPU  {_median(cpu)}")
        if not args.orm_only:
            _measure(topo, args, drive)
        if args.pairs and not args.orm_only:
            stale, rate = asyncio.run(_pairs(topo, args.pairs))
            print(
                f"\nread-your-writes, replay paused: {args.pairs} write-then-read pairs across "
                f"2 API processes, {stale} stale reads ({rate:.0f} pairs/s, load {loadavg()})"
            )


if __name__ == "__main__":
    main()
