"""What hostile documents cost the server, and what they do to everyone else's latency.

    DATABASE_URL=postgresql://.../bench python -m bench.hostile [--seconds 10] [--clients 4]

Starts `python -m api` on 127.0.0.1 (one worker, in-process cache) and prints, with the load
average:

- `reject`: server CPU (user + system, from /proc) per refused request, for each hostile
  document below, sent one after another, each time under a new comment (so no memo of
  documents helps: the worst case);
- `trivial`: p50 / p95 / max latency of `{ __typename }` sent one at a time, alone and while
  `--clients` clients send the 99 KB directive document as fast as the server answers them.

The hostile documents: 5,500 `@include(if: true)` directives in 99 KB (the token limit's job),
a query nested 300 deep (depth), 1,000 aliases (aliases) and 100 projects x (100 files + 100
messages) (cost). Figures compare runs on one machine; note the load average printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

import httpx

from bench.api import free_port, loadavg, server
from orm.runtime.types import JsonValue

DIRECTIVES = "{ __typename " + "@include(if:true) " * 5_499 + "}"
DEEP = "{ " + "projects { nodes { owner { " * 60 + "name" + " } } }" * 60 + " }"
ALIASES = "{ " + " ".join(f"a{i}: __typename" for i in range(1_000)) + " }"
COSTLY = (
    "{ projects(first: 100) { nodes { files(first: 100) { nodes { path } } "
    "messages(first: 100) { nodes { content } } } } }"
)
DOCUMENTS = {"directives-99KB": DIRECTIVES, "deep": DEEP, "aliases": ALIASES, "cost": COSTLY}
TRIVIAL = {"query": "{ __typename }", "extensions": {"cache": False}}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process `pid` so far (/proc/<pid>/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(port: int) -> int:
    """The pid listening on `port` (the uvicorn process), from /proc/net/tcp and fd links."""
    inodes: set[str] = set()
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            if parts[1].endswith(f":{port:04X}") and parts[3] == "0A":  # LISTEN
                inodes.add(parts[9])
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    raise SystemExit(f"no process listens on {port}")


def unique(document: str) -> str:
    """`document` under a comment no other request has, so no memo of documents helps."""
    return f"# {time.perf_counter_ns()}\n{document}"


def reject_cost(base: str, pid: int, document: str, count: int) -> tuple[float, str]:
    with httpx.Client(base_url=base, timeout=60) as client:
        client.post("/graphql", json={"query": unique(document)})  # warm-up
        before = cpu_seconds(pid)
        answer = ""
        for _ in range(count):
            response = client.post("/graphql", json={"query": unique(document)})
            answer = f"{response.status_code} {_first_code(response.json())}"
        return (cpu_seconds(pid) - before) / count * 1000, answer


def _first_code(body: JsonValue) -> str | None:
    try:
        code: JsonValue = body["errors"][0]["extensions"]["code"]
    except (KeyError, IndexError, TypeError):
        return None
    return str(code)


def trivial_latency(base: str, seconds: float) -> list[float]:
    timings: list[float] = []
    deadline = time.perf_counter() + seconds
    with httpx.Client(base_url=base, timeout=120) as client:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            client.post("/graphql", json=TRIVIAL)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def hammer(base: str, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            client.post("/graphql", json={"query": unique(DIRECTIVES)})


def describe(label: str, timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(len(timings) * 0.95) - 1] if len(timings) > 1 else timings[0]
    return (
        f"{label:<34} n={len(timings):<5} p50 {statistics.median(timings):8.1f} ms  "
        f"p95 {p95:8.1f} ms  max {timings[-1]:8.1f} ms  load {loadavg()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="What hostile documents cost the server.")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "warning"}
    env.pop("REDIS_URL", None)
    env["RESPONSE_TIME_SAMPLE_RATE"] = "0"
    env.update(RATE_LIMIT="off", RATE_LIMIT_PER_FIELD="off")  # what documents cost, not 429s
    with server([sys.executable, "-m", "api"], env, port) as base:
        pid = server_pid(port)
        for name, document in DOCUMENTS.items():
            ms, answer = reject_cost(base, pid, document, args.count)
            print(f"reject {name:<27} {ms:8.1f} ms CPU/request  ({answer})  load {loadavg()}")
        print(describe("trivial, alone", trivial_latency(base, args.seconds / 2)), flush=True)
        stop = threading.Event()
        threads = [threading.Thread(target=hammer, args=(base, stop)) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        try:
            timings = trivial_latency(base, args.seconds)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        print(describe(f"trivial, {args.clients} hostile clients", timings), flush=True)


if __name__ == "__main__":
    main()
