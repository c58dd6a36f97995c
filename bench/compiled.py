"""The compiled execution path against the resolvers: uncached reads, side by side.

    python -m bench.compiled [--database-url URL] [--seconds 5] [--runs 3] [--users 1000]
        [--cases nested,full,dashboard,public,trending]

Two API servers (`python -m api`, one worker each, no caches) on one seeded database, one with
`EXECUTION=auto` (the nested read compiles into one statement) and one with
`EXECUTION=resolved`; runs interleave the two at 16 and 64 connections with wrk, as random
users (`bench.peer.database`: 1,000 random users, and users with the full 20 dreams x 5 tests
shape), and with `--cases` the peer bench's dashboard (random users), public dreams and
trending projects at 16 connections (issue 7: each >= 5x the resolvers'). Prints req/s,
p50/p95/p99, SQL statements per request, the `X-Execution: compiled` share and the server's
CPU per request, then a table of medians, with the load average: the machine may be shared,
so compare figures of one run with each other.

The database defaults to `DATABASE_URL`, else `postgresql://postgres@127.0.0.1:5432/peer_bench`
(made and seeded at medium scale by `bench.peer.database.prepare` when missing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Generator
from contextlib import ExitStack, contextmanager

from bench.api import api_env, loadavg, started
from bench.loadgen import Load, Result, have_wrk, run_wrk
from bench.peer.database import BenchUsers, load_users, prepare
from bench.peer.queries import dashboard, nested, public_dreams, trending_projects
from bench.peer.run import Measured, measure, median_of
from bench.peer.servers import Running, with_application

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/peer_bench"
PATHS = ("auto", "resolved")
Labeller = Callable[[BenchUsers], str]
Loader = Callable[[BenchUsers], Load]
# key: (label, the API's load for the bench users, concurrencies)
CASES: dict[str, tuple[Labeller, Loader, tuple[int, ...]]] = {
    "nested": (lambda u: f"{len(u.random)} random users", lambda u: nested(u.random).api, (16, 64)),
    "full": (lambda u: f"{len(u.full)} full 20x5 users", lambda u: nested(u.full).api, (16, 64)),
    "dashboard": (lambda _u: "dashboard", lambda u: dashboard(u.random).api, (16,)),
    "public": (lambda _u: "public dreams", lambda _u: public_dreams().api, (16,)),
    "trending": (lambda _u: "trending projects", lambda _u: trending_projects().api, (16,)),
}


@contextmanager
def api(database_url: str, execution: str, *, port: int, pool: int) -> Generator[Running]:
    application = f"bench-api-{execution}-{port}"
    env = api_env(1, cache=False, port=port, pool=pool)
    env["DATABASE_URL"] = with_application(database_url, application)
    env["EXECUTION"] = execution
    with started([sys.executable, "-m", "api"], env, port) as (base, process):
        name = "compiled" if execution == "auto" else "resolved"
        yield Running(name, base, process.pid, application)


def main() -> None:
    parser = argparse.ArgumentParser(description="compiled vs resolved nested read")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "24100")))
    parser.add_argument(
        "--cases", default="nested,full", type=lambda s: s.split(","), help=",".join(CASES)
    )
    args = parser.parse_args()
    unknown = [key for key in args.cases if key not in CASES]
    if unknown:
        raise SystemExit(f"unknown cases {unknown}: choose from {', '.join(CASES)}")
    if not have_wrk():
        raise SystemExit("Install wrk (apt-get install wrk): this bench needs its figures.")
    prepare(args.database_url)
    users = asyncio.run(load_users(args.database_url, count=args.users))
    print(f"seconds={args.seconds} runs={args.runs} pool={args.pool} cpus={os.cpu_count()} "
          f"load {loadavg()}", flush=True)  # fmt: skip
    rows: list[str] = []
    with ExitStack() as stack:
        servers = {
            path: stack.enter_context(
                api(args.database_url, path, port=args.port + i, pool=args.pool)
            )
            for i, path in enumerate(PATHS)
        }
        for key in args.cases:
            name, make, concurrencies = CASES[key]
            label, load = name(users), make(users)
            for connections in concurrencies:
                found = _interleaved(args, servers, load, connections, label)
                rows.extend(_row(label, connections, path, runs) for path, runs in found.items())
    print("\n| case | c | path | req/s | p95 ms | sql/req | compiled | CPU ms/req | load |")
    print("| --- " * 9 + "|")
    print("\n".join(rows))


def _interleaved(
    args: argparse.Namespace,
    servers: dict[str, Running],
    load: Load,
    connections: int,
    label: str,
) -> dict[str, list[Measured]]:
    def drive(base: str, sent: Load) -> Result:
        return run_wrk(base, sent, connections=connections, seconds=args.seconds)

    found: dict[str, list[Measured]] = {path: [] for path in PATHS}
    for n in range(args.runs):
        for path in PATHS if n % 2 == 0 else reversed(PATHS):
            measured = measure(args.database_url, servers[path], load, drive)
            found[path].append(measured)
            name = f"  {label} c={connections} [{servers[path].name} {n + 1}]"
            print(f"{measured.result.report(name)}  compiled "
                  f"{measured.result.compiled_share * 100:3.0f}%  cpu {measured.cpu_ms:5.2f} "
                  f"ms/req  load {measured.load}", flush=True)  # fmt: skip
    return found


def _row(label: str, connections: int, path: str, runs: list[Measured]) -> str:
    rps = median_of(runs, lambda m: m.result.requests / max(m.result.seconds, 1e-9))
    return (
        f"| {label} | {connections} | {path} | {rps:.0f} "
        f"| {median_of(runs, lambda m: m.result.p95_ms):.0f} "
        f"| {median_of(runs, lambda m: m.result.sql_per_request):.2f} "
        f"| {median_of(runs, lambda m: m.result.compiled_share) * 100:.0f}% "
        f"| {median_of(runs, lambda m: m.cpu_ms):.2f} | {runs[-1].load} |"
    )


if __name__ == "__main__":
    main()
