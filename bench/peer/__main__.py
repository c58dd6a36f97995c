"""`python -m bench.peer`: this API and PostGraphile 5 side by side on one database (`make bench`).

    python -m bench.peer [--database-url URL] [--seconds 10] [--runs 3]
        [--cases nested,full,repeated,mix,dashboard,public,trending] [--users 1000]
    python -m bench.peer --rss 300 [--round 30] [--connections 64]   # worker RSS, mixed load

See `bench/peer/__init__.py` for what is measured and how, and `bench/peer/rss.py` for `--rss`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
from contextlib import ExitStack

from bench.api import loadavg
from bench.loadgen import Load, Result, have_wrk, run_wrk
from bench.peer.check import check_nested, check_same_rows, warm
from bench.peer.database import BenchUsers, load_users, prepare
from bench.peer.rss import rss_run, summary
from bench.peer.run import CASES, Case, Generator, Measured, Servers, median_of, run_case
from bench.peer.servers import api, install_peer, postgraphile

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_medium"


def _port(base: int, offset: int) -> int:
    if base:
        return base + offset
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _driver(connections: int, seconds: float) -> Generator:
    def drive(base: str, load: Load) -> Result:
        return run_wrk(base, load, connections=connections, seconds=seconds)

    return drive


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="This API and PostGraphile 5, side by side")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="created, pushed and seeded at medium scale when missing or empty "
        f"(BENCH_DATABASE_URL, default {DEFAULT_URL})",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument("--runs", type=int, default=3, help="runs per case and server")
    parser.add_argument("--users", type=int, default=1000, help="random users to read as")
    parser.add_argument("--pool", type=int, default=10, help="database connections per server")
    parser.add_argument("--port-base", type=int, default=0, help="ports from here (0: any free)")
    parser.add_argument(
        "--rss",
        type=float,
        default=0.0,
        help="instead of the cases: this many seconds of mixed load on one API worker, "
        "printing its RSS after every round (bench/peer/rss.py)",
    )
    parser.add_argument("--round", type=float, default=30.0, help="--rss: seconds per round")
    parser.add_argument("--connections", type=int, default=64, help="--rss: wrk connections")
    parser.add_argument(
        "--cases",
        default=",".join(dict.fromkeys(c.key for c in CASES)),
        type=lambda s: s.split(","),
        help="which cases, by key",
    )
    return parser


def _row(case: Case, api: list[Measured], peer: list[Measured]) -> str:
    a_rps, p_rps = median_of(api, lambda m: m.rps), median_of(peer, lambda m: m.rps)
    ratio = a_rps / p_rps if p_rps else float("nan")
    compiled = median_of(api, lambda m: m.result.compiled_share) * 100
    errors = [sum(m.result.errors for m in runs) for runs in (api, peer)]
    shed = [sum(m.result.unavailable for m in runs) for runs in (api, peer)]
    return (
        f"| {case.label} | {case.connections} "
        f"| {a_rps:,.0f} | {median_of(api, lambda m: m.result.p95_ms):,.1f} "
        f"| {median_of(api, lambda m: m.cpu_ms):.2f}+{median_of(api, lambda m: m.db_ms):.2f} "
        f"| {p_rps:,.0f} | {median_of(peer, lambda m: m.result.p95_ms):,.1f} "
        f"| {median_of(peer, lambda m: m.cpu_ms):.2f}+{median_of(peer, lambda m: m.db_ms):.2f} "
        f"| {ratio:.2f}x "
        f"| {median_of(api, lambda m: m.result.sql_per_request):.2f} | {compiled:.0f}% "
        f"| {errors[0]}/{errors[1]} ({shed[0]}/{shed[1]} x 503) | {api[-1].load} |"
    )


HEADER = (
    "| case | c | API req/s | API p95 ms | API CPU ms/req | PostGraphile req/s "
    "| PostGraphile p95 ms | PostGraphile CPU ms/req | API/PG req/s | API SQL/req "
    "| X-Execution: compiled | errors API/PG | load avg |\n" + "| --- " * 13 + "|"
)


def main() -> None:
    args = _parser().parse_args()
    if not have_wrk():
        raise SystemExit("The peer bench drives both servers with wrk: apt-get install wrk.")
    prepare(args.database_url)
    users = asyncio.run(load_users(args.database_url, count=args.users))
    if args.rss:
        _rss(args, users)
        return
    install_peer()
    cases = [c for c in CASES if c.key in args.cases]
    print(
        f"users: {len(users.random)} random, {len(users.full)} with the full 20x5 shape;"
        f" {args.runs} interleaved runs of {args.seconds:g} s per case and server;"
        f" 1 API worker vs 1 PostGraphile process, pool {args.pool} each;"
        f" cpus {os.cpu_count()}; load {loadavg()};"
        f" about {len(cases) * 2 * args.runs * (args.seconds + 2) / 60:.0f} min",
        flush=True,
    )
    rows: list[str] = []
    with ExitStack() as stack:
        url, pool = args.database_url, args.pool
        servers = Servers(
            url,
            stack.enter_context(api(url, cache=True, port=_port(args.port_base, 0), pool=pool)),
            stack.enter_context(api(url, cache=False, port=_port(args.port_base, 1), pool=pool)),
            stack.enter_context(postgraphile(url, port=_port(args.port_base, 2), pool=pool)),
        )
        check_nested(servers, users)
        for case in cases:
            pair = case.load(users)
            warm(servers, case, pair)
            check_same_rows(servers, case, pair)
            drive = _driver(case.connections, args.seconds)
            api_runs, peer_runs = run_case(case, pair, servers, drive, runs=args.runs)
            rows.append(_row(case, api_runs, peer_runs))
    print(
        f"\nMedians of {args.runs} interleaved runs; CPU ms/req: the server's process tree +"
        f" its PostgreSQL sessions; load average at the end {loadavg()}"
    )
    print(HEADER)
    print("\n".join(rows))


def _rss(args: argparse.Namespace, users: BenchUsers) -> None:
    print(
        f"worker RSS: {args.rss:g} s of mixed load in rounds of {args.round:g} s at"
        f" c={args.connections}, 1 API worker with its caches, pool {args.pool};"
        f" cpus {os.cpu_count()}; load {loadavg()}",
        flush=True,
    )
    url = args.database_url
    with api(url, cache=True, port=_port(args.port_base, 0), pool=args.pool) as running:
        drive = _driver(args.connections, args.round)
        rounds = rss_run(running, users, drive, seconds=args.rss)
    print(summary(rounds))


if __name__ == "__main__":
    main()
