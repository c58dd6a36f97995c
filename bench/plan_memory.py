"""What a client sending many distinct large reads does to a worker's memory (the plan cache).

    DATABASE_URL=postgresql://.../db python -m bench.plan_memory [--variants 2500] [--port N]

Starts `python -m api` (one worker, no operation cache, no rate limits) on a pushed database
(no data needed) and sends `--variants` copies of a ~1,900-character read of 15 aliased project
lists (a ~110 KB compiled statement), each under other aliases, so each is a new document and a
new plan. Prints the worker's RSS before and after, with the load average. The plan cache is
bounded by count and by its statements' characters; the document store by its own bounds.
"""

from __future__ import annotations

import argparse
import os
import sys

import httpx

from bench.api import free_port, loadavg, server
from bench.hostile import server_pid

BIG_READ = (
    "{ "
    + " ".join(
        f"a{i}: projects(first: 2) {{ nodes {{ id name owner {{ name }} "
        f"files(first: 2, after: null) {{ edges {{ cursor node {{ path }} }} }} }} }}"
        for i in range(15)
    )
    + " }"
)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for {pid}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Worker memory under many distinct reads.")
    parser.add_argument("--variants", type=int, default=2_500)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port = args.port or free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "warning"}
    env.pop("REDIS_URL", None)
    env.update(CACHE_ENABLED="false", RESPONSE_TIME_SAMPLE_RATE="0")
    env.update(RATE_LIMIT="off", RATE_LIMIT_PER_FIELD="off")
    with server([sys.executable, "-m", "api"], env, port) as base:
        pid = server_pid(port)
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(20):  # warm-up: one document, one plan
                client.post("/graphql", json={"query": BIG_READ})
            before = rss_mib(pid)
            paths: set[str | None] = set()
            for k in range(args.variants):
                query = BIG_READ.replace("a0:", f"v{k}:")
                paths.add(client.post("/graphql", json={"query": query}).headers.get("x-execution"))
        print(
            f"{args.variants} distinct large reads ({sorted(map(str, paths))}): worker RSS "
            f"{before:.0f} -> {rss_mib(pid):.0f} MiB  load {loadavg()}"
        )


if __name__ == "__main__":
    main()
