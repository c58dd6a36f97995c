"""CPU per request of each path, compiled and resolved: a quiet measure for a shared machine.

    DATABASE_URL=postgresql://.../seeded python -m bench.cpu_per_request \\
        [--ops TrendingProjects,PublicDreams] [--requests 300] [--port 27000]

Two API servers (`python -m api`, one worker each, no caches) on one seeded database, one with
`EXECUTION=auto` and one with `EXECUTION=resolved`. Each operation of `bench.api.OPERATIONS`
is sent `--requests` times, one at a time, to each server after a warm-up; printed per server:
the path that answered (`X-Execution`), SQL statements per request, the server's CPU per
request and its PostgreSQL sessions' (`bench.peer.cpu`), and whether both answered the same
bytes. CPU time, unlike req/s under `wrk`, holds when other work shares the machine; the load
average is printed with every row all the same.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Generator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import httpx

from bench.api import OPERATIONS, Operation, api_env, loadavg, started
from bench.peer.cpu import Meter
from bench.peer.servers import with_application

PATHS = ("auto", "resolved")
WARM_UP = 30


@dataclass(frozen=True, slots=True)
class Server:
    base: str
    pid: int
    application: str


@dataclass(frozen=True, slots=True)
class Measured:
    path: str
    statements: str
    server_ms: float
    database_ms: float
    body: bytes


@contextmanager
def api(database_url: str, execution: str, port: int) -> Generator[Server]:
    application = f"bench-cpu-{execution}-{port}"
    env = api_env(1, cache=False, port=port, pool=4)
    env["DATABASE_URL"] = with_application(database_url, application)
    env["EXECUTION"] = execution
    with started([sys.executable, "-m", "api"], env, port) as (base, process):
        yield Server(base, process.pid, application)


def measure(database_url: str, server: Server, op: Operation, requests: int) -> Measured:
    headers = {"Authorization": f"Bearer {op.token}"} if op.token else {}
    body = {"query": op.query, "operationName": op.name, "variables": op.variables}
    with httpx.Client(base_url=server.base, headers=headers, timeout=60) as client:
        response = client.post("/graphql", json=body)
        for _ in range(WARM_UP):
            response = client.post("/graphql", json=body)
        response.raise_for_status()
        meter = Meter(database_url, server.pid, server.application)
        meter.start()
        for _ in range(requests):
            client.post("/graphql", json=body)
        spent = meter.stop()
    return Measured(
        path=response.headers.get("x-execution", "?"),
        statements=response.headers.get("x-sql-statements", "?"),
        server_ms=spent.server / requests * 1000,
        database_ms=spent.database / requests * 1000,
        body=response.content,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU per request, compiled vs resolved")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--ops", default="TrendingProjects,PublicDreams,Dashboard")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "24200")))
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("Set DATABASE_URL (or --database-url) to a seeded database.")
    wanted = set(args.ops.split(","))
    print(f"requests={args.requests} (sequential) cpus={os.cpu_count()} load {loadavg()}")
    print("| operation | path | sql/req | API CPU ms/req | PostgreSQL CPU ms/req | same | load |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with ExitStack() as stack:
        servers = [
            stack.enter_context(api(args.database_url, path, args.port + i))
            for i, path in enumerate(PATHS)
        ]
        for op in (o for o in OPERATIONS if o.name in wanted):
            found = [measure(args.database_url, s, op, args.requests) for s in servers]
            same = found[0].body == found[1].body
            for m in found:
                print(f"| {op.name} | {m.path} | {m.statements} | {m.server_ms:.2f} | "
                      f"{m.database_ms:.2f} | {same} | {loadavg()} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
