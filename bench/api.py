"""API throughput and latency: representative GraphQL operations at 16 and 64 concurrent clients.

    DATABASE_URL=postgresql://.../bench python bench/api.py [--workers 1] [--requests 2000]

Needs a seeded database in DATABASE_URL (`python -m seed --scale medium`); REDIS_URL is used when
set (else the in-process cache). Starts the API under uvicorn on 127.0.0.1 (two servers: cache
off, then on) and a fixed-JSON Starlette endpoint (the ceiling for this machine and client),
then prints requests/s, p50, p95, p99 and SQL statements per request for each scenario:

- `cold`: CACHE_ENABLED=false, every request executes its resolvers against PostgreSQL;
- `warm`: operation cache on, after one warm-up pass, so repeated reads are served from it.

Every run is bounded by a request count and a time limit. The load generator shares the machine
with the server, so the figures are comparable with each other, not with other machines.
Add operations to `OPERATIONS`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Generator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PRO_TOKEN = "demo-pro-4b8e2d6f1a9c3075"  # seed/demo.py: Priya Pro


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    query: str
    variables: dict[str, object] = field(default_factory=dict[str, object])
    token: str | None = None


OPERATIONS: tuple[Operation, ...] = (
    Operation("Models", "query Models { aiModels { provider name displayName costPer1kTokens } }"),
    Operation(
        "ModelComparison",
        "query ModelComparison($days: Int!) { modelComparison(days: $days) "
        "{ provider model averageImpossibility averageConfidence testCount } }",
        {"days": 30},
    ),
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
        token=PRO_TOKEN,
    ),
)

SERVER_LOG = "/tmp/bench-api-server.log"  # the servers' output (slow-statement warnings...)
CEILING_BODY = b'{"data":{"hello":"world"}}'


async def _fixed_json(request: Request) -> Response:
    return Response(CEILING_BODY, media_type="application/json")


ceiling_app = Starlette(routes=[Route("/graphql", _fixed_json, methods=["POST"])])


@dataclass(slots=True)
class Run:
    latencies: list[float] = field(default_factory=list[float])
    statements: list[int] = field(default_factory=list[int])
    errors: int = 0
    seconds: float = 0.0

    def report(self, label: str) -> str:
        if not self.latencies:
            return f"{label:<34} no successful requests ({self.errors} errors)"
        ordered = sorted(self.latencies)
        q = statistics.quantiles(ordered, n=100, method="inclusive")
        rps = len(ordered) / self.seconds
        sql = statistics.fmean(self.statements) if self.statements else 0.0
        return (
            f"{label:<34} {rps:8.0f} req/s  p50 {q[49] * 1000:7.1f} ms  p95 {q[94] * 1000:7.1f} ms"
            f"  p99 {q[98] * 1000:7.1f} ms  sql/req {sql:5.2f}  errors {self.errors}"
        )


async def drive(
    base: str, operations: tuple[Operation, ...], *, clients: int, requests: int, limit: float
) -> Run:
    """`clients` loops sending the operations round-robin until `requests` or `limit` seconds."""
    run = Run()
    counter = iter(range(requests))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + limit

        async def worker() -> None:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                await _one(client, operations[i % len(operations)], run)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        run.seconds = time.perf_counter() - started
    return run


async def _one(client: httpx.AsyncClient, op: Operation, run: Run) -> None:
    headers = {"Authorization": f"Bearer {op.token}"} if op.token else {}
    body = {"query": op.query, "variables": op.variables, "operationName": op.name}
    started = time.perf_counter()
    response = await client.post("/graphql", json=body, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or b'"errors"' in response.content:
        run.errors += 1
        return
    run.latencies.append(elapsed)
    run.statements.append(int(response.headers.get("x-sql-statements", "0")))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Generator[str]:
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
        yield base
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def api_server(args: argparse.Namespace, *, cache: bool) -> AbstractContextManager[str]:
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(args.workers),
        "LOG_LEVEL": "warning",
        "CACHE_ENABLED": "true" if cache else "false",
        "CACHE_PREFIX": f"bench:{port}:{time.time_ns()}:",
        "DB_CONNECTION_LIMIT": str(args.pool),
        "RESPONSE_TIME_SAMPLE_RATE": os.environ.get("RESPONSE_TIME_SAMPLE_RATE", "0.1"),
    }
    return server([sys.executable, "-m", "api"], env, port)


async def scenario(base: str, label: str, args: argparse.Namespace) -> None:
    for clients in (16, 64):
        run = await drive(
            base, OPERATIONS, clients=clients, requests=args.requests, limit=args.seconds
        )
        print(run.report(f"{label} c={clients}"), flush=True)


async def per_operation(base: str, label: str, args: argparse.Namespace) -> None:
    for op in OPERATIONS:
        run = await drive(base, (op,), clients=16, requests=args.requests // 4, limit=args.seconds)
        print(run.report(f"  {label} {op.name}"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="API throughput and latency benchmark")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pool", type=int, default=10, help="DB_CONNECTION_LIMIT per worker")
    parser.add_argument("--requests", type=int, default=2000, help="per scenario and client count")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per scenario")
    parser.add_argument("--serve-ceiling", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ceiling:
        uvicorn.run(ceiling_app, host="127.0.0.1", port=args.serve_ceiling, log_level="warning")
        return
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a seeded database (python -m seed --scale medium).")
    print(f"workers={args.workers} pool={args.pool} operations={[o.name for o in OPERATIONS]}")
    print(f"server output: {SERVER_LOG}")
    port = free_port()
    ceiling = [sys.executable, __file__, "--serve-ceiling", str(port)]
    with server(ceiling, dict(os.environ), port) as base:
        asyncio.run(scenario(base, "fixed JSON (ceiling)", args))
    with api_server(args, cache=False) as base:
        asyncio.run(scenario(base, "cold (cache off)", args))
        asyncio.run(per_operation(base, "cold", args))
    with api_server(args, cache=True) as base:
        asyncio.run(drive(base, OPERATIONS, clients=4, requests=len(OPERATIONS) * 4, limit=30))
        asyncio.run(scenario(base, "warm (operation cache)", args))


if __name__ == "__main__":
    main()
