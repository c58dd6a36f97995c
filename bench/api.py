"""API throughput and latency: representative GraphQL operations at 16 and 64 connections.

    DATABASE_URL=postgresql://.../bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        python -m bench.api [--workers 1 2] [--seconds 5] [--only ceiling,cold,warm,mix]
            [--ops DreamsWithTests,Models]

Needs a seeded database in DATABASE_URL (`python -m seed --scale medium`); REDIS_URL is used when
set (else the in-process cache). Starts servers on 127.0.0.1 under uvicorn (uvloop and httptools
when installed, which `python -m api` picks by default) and, for each worker count, prints
requests/s, p50, p95, p99, SQL statements per response and cache hits for:

- `ceiling`: a fixed-JSON Starlette endpoint (what this machine and generator can do at best);
- `cold`: each operation on a server with CACHE_ENABLED=false, so every request executes;
- `warm`: each operation after a warm-up pass, so it is served from the operation cache;
- `mix`: `DreamsWithTests` (a user's 20 latest dreams with 5 latest tests each) where 90 % of
  requests repeat four users' documents and 10 % carry a unique variable, so they miss.

The load comes from `wrk` (`apt-get install wrk`) with a generated Lua script, or from an httpx
client when `wrk` isn't installed (which uses as much CPU as the server: a floor, not a
measure). Every run lasts `--seconds`. Figures are comparable with each other on one machine;
note the load average printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.loadgen import NONCE, Load, Post, Result, have_wrk, run_httpx, run_wrk

TOKENS = {  # seed/demo.py
    "pro": "demo-pro-4b8e2d6f1a9c3075",
    "team": "demo-team-9d1f5c3a7e2b6048",
    "free": "demo-free-2a6c8e4f0b1d3957",
    "admin": "demo-admin-7f3c9a1e5b2d4086",
}

DREAMS_WITH_TESTS = (
    "query DreamsWithTests($first: Int!, $tests: Int!) { dreams(filter: {mine: true}, "
    "first: $first) { edges { node { id title status createdAt aiTests(first: $tests) "
    "{ edges { node { id model provider impossibilityScore confidence status createdAt } } } "
    "} } } }"
)


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    query: str
    variables: dict[str, object] = field(default_factory=dict[str, object])
    token: str | None = None

    def post(self, *, cache: bool = True, **extra_variables: object) -> Post:
        body: dict[str, object] = {
            "query": self.query,
            "operationName": self.name,
            "variables": {**self.variables, **extra_variables},
        }
        if not cache:
            body["extensions"] = {"cache": False}
        headers = (("Authorization", f"Bearer {self.token}"),) if self.token else ()
        return Post(json.dumps(body, separators=(",", ":")), headers)


OPERATIONS: tuple[Operation, ...] = (
    Operation("DreamsWithTests", DREAMS_WITH_TESTS, {"first": 20, "tests": 5}, token=TOKENS["pro"]),
    Operation("Models", "query Models { aiModels { provider name displayName costPer1kTokens } }"),
    Operation(
        "TrendingProjects",
        "query TrendingProjects { projects(first: 20) { nodes { id name likes views "
        "owner { name } fileCount messageCount } } }",
    ),
    Operation(
        "PublicDreams",
        "query PublicDreams { dreams(first: 20) { nodes { id title category testCount "
        "bestScore owner { name } latestProgress { averageImpossibility } } } }",
    ),
    Operation(
        "Dashboard",
        "query Dashboard { me { name plan } dashboard(first: 10) { totalTests dreams "
        "{ id title testCount bestScore latestProgress { averageImpossibility } } } }",
        token=TOKENS["pro"],
    ),
    # Last: an aggregate over 1M rows whose cold backlog would slow the runs after it.
    Operation(
        "ModelComparison",
        "query ModelComparison($days: Int!) { modelComparison(days: $days) "
        "{ provider model averageImpossibility averageConfidence testCount } }",
        {"days": 30},
    ),
)


def mix_load() -> Load:
    """90 %: the goal query for four users (repeats); 10 %: a unique `nonce` (misses)."""
    ops = [Operation(op.name, op.query, op.variables, token) for op in OPERATIONS[:1]
           for token in TOKENS.values()]  # fmt: skip
    unique = OPERATIONS[0].post(nonce=NONCE)
    return Load(posts=tuple(op.post() for op in ops), unique=unique, unique_every=10)


SERVER_LOG = "/tmp/bench-api-server.log"  # the servers' output (slow-statement warnings...)
CEILING_BODY = b'{"data":{"hello":"world"}}'
CONNECTIONS = (16, 64)


async def _fixed_json(request: Request) -> Response:
    return Response(CEILING_BODY, media_type="application/json")


ceiling_app = Starlette(routes=[Route("/graphql", _fixed_json, methods=["POST"])])

Runner = Callable[[str, Load], Result]


def runner(args: argparse.Namespace, connections: int) -> Runner:
    drive = run_wrk if have_wrk() and not args.httpx else run_httpx
    return lambda base, load: drive(base, load, connections=connections, seconds=args.seconds)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def started(
    command: list[str], env: dict[str, str], port: int
) -> Generator[tuple[str, subprocess.Popen[bytes]]]:
    """A server subprocess on 127.0.0.1:`port`, until it answers; stopped afterwards."""
    log = open(SERVER_LOG, "a")  # noqa: SIM115 - closed with the process below
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"server exited with {process.returncode}: {command}")
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        process.wait(30)
        log.close()


@contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Generator[str]:
    with started(command, env, port) as (base, _):
        yield base


def api_env(workers: int, *, cache: bool, port: int, pool: int) -> dict[str, str]:
    """`python -m api`'s environment: on `port`, `workers` processes, caching on or off."""
    return {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
        "LOG_LEVEL": "warning",
        "CACHE_ENABLED": "true" if cache else "false",
        "CACHE_PREFIX": f"bench:{port}:{time.time_ns()}:",
        "DB_CONNECTION_LIMIT": str(pool),
        "RESPONSE_TIME_SAMPLE_RATE": os.environ.get("RESPONSE_TIME_SAMPLE_RATE", "0.1"),
        "RATE_LIMIT": os.environ.get("RATE_LIMIT", "off"),  # one client sends the whole load
        "RATE_LIMIT_PER_FIELD": os.environ.get("RATE_LIMIT_PER_FIELD", "off"),
    }


def api_server(
    args: argparse.Namespace, workers: int, *, cache: bool
) -> AbstractContextManager[str]:
    port = free_port()
    return server(
        [sys.executable, "-m", "api"],
        api_env(workers, cache=cache, port=port, pool=args.pool),
        port,
    )


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def report(label: str, result: Result) -> None:
    print(f"{result.report(label)}  load {loadavg()}", flush=True)


def per_operation(base: str, label: str, args: argparse.Namespace) -> None:
    for connections in CONNECTIONS:
        run = runner(args, connections)
        for op in (o for o in OPERATIONS if o.name in args.ops):
            report(f"  {label} {op.name} c={connections}", run(base, Load((op.post(),))))
            settle(base)


def settle(base: str) -> None:
    """Wait for requests the generator left in flight: the next run starts on an idle server."""
    warm_up(base, [Load((OPERATIONS[1].post(),))])


def warm_up(base: str, loads: list[Load]) -> None:
    for load in loads:
        for post in load.posts:
            headers = {"Content-Type": "application/json", **dict(post.headers)}
            httpx.post(f"{base}/graphql", content=post.body, headers=headers, timeout=120)


def ceiling(args: argparse.Namespace) -> None:
    port = free_port()
    command = [sys.executable, "-m", "bench.api", "--serve-ceiling", str(port)]
    load = Load((Post("{}"),))
    with server(command, dict(os.environ), port) as base:
        for connections in CONNECTIONS:
            report(f"fixed JSON (ceiling) c={connections}", runner(args, connections)(base, load))


def for_workers(args: argparse.Namespace, workers: int) -> None:
    print(f"== workers={workers}", flush=True)
    if "cold" in args.only:
        with api_server(args, workers, cache=False) as base:
            warm_up(base, [Load((op.post(),)) for op in OPERATIONS])  # connect, fill pools
            per_operation(base, "cold", args)
    if {"warm", "mix"} & set(args.only):
        with api_server(args, workers, cache=True) as base:
            warm_up(base, [Load((op.post(),)) for op in OPERATIONS] + [mix_load()])
            if "warm" in args.only:
                per_operation(base, "warm", args)
            if "mix" in args.only:
                for connections in CONNECTIONS:
                    result = runner(args, connections)(base, mix_load())
                    report(f"  mix 90% repeat DreamsWithTests c={connections}", result)


def main() -> None:
    parser = argparse.ArgumentParser(description="API throughput and latency benchmark")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pool", type=int, default=10, help="DB_CONNECTION_LIMIT per worker")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    parser.add_argument("--only", default="ceiling,cold,warm,mix", type=lambda s: s.split(","))
    parser.add_argument(
        "--ops", default=",".join(o.name for o in OPERATIONS), type=lambda s: s.split(",")
    )
    parser.add_argument("--httpx", action="store_true", help="use httpx even if wrk is there")
    parser.add_argument("--serve-ceiling", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ceiling:
        uvicorn.run(ceiling_app, host="127.0.0.1", port=args.serve_ceiling, log_level="warning")
        return
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a seeded database (python -m seed --scale medium).")
    generator = "wrk" if have_wrk() and not args.httpx else "httpx (floor: shares the CPU)"
    print(f"generator={generator} seconds={args.seconds} pool={args.pool} cpus={os.cpu_count()}")
    print(f"operations={[o.name for o in OPERATIONS]}  server output: {SERVER_LOG}")
    if "ceiling" in args.only:
        ceiling(args)
    for workers in args.workers:
        for_workers(args, workers)


if __name__ == "__main__":
    main()
