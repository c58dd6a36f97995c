"""`Topology`: start and stop a primary, replicas, PgBouncer, Redis and API processes.

    with Topology(TopologyOptions(replicas=2, api_processes=2)) as topo:
        topo.api_urls        # ["http://127.0.0.1:27xxx", ...]
        topo.replicas[0].stop()

Start order: primary (initdb), the `dreams` database, `db push` and the seed on a direct
connection, replicas cloned from the seeded primary, Redis, PgBouncer (transaction pooling) in
front of the primary, then the API processes. The API reaches the primary through PgBouncer
(`pgbouncer=true`, with `statement_cache_size=100` when PgBouncer keeps prepared statements:
`scale/pgbouncer.py`) unless `via_pgbouncer=False`, reads replicas directly, and gets the
direct URL as `DIRECT_URL` for what needs a session (subscriptions' LISTEN).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from scale.pgbouncer import Bouncer, find_pgbouncer
from scale.postgres import BIN, PostgresNode, server_user
from scale.processes import Child, TopologyError, free_port, port_open, spawn, wait_until

__all__ = ["REPO", "Topology", "TopologyOptions"]

REPO = Path(__file__).resolve().parent.parent
DATABASE = "dreams"


@dataclass(frozen=True, slots=True)
class TopologyOptions:
    replicas: int = 2
    api_processes: int = 2
    pgbouncer: bool = True
    via_pgbouncer: bool = True
    seed_scale: str = "tiny"
    api_env: dict[str, str] = field(default_factory=dict[str, str])


class Topology:
    def __init__(self, options: TopologyOptions | None = None) -> None:
        self.options = options or TopologyOptions()
        self.folder = Path(tempfile.mkdtemp(prefix="scale-topology-"))
        self.folder.chmod(0o755)  # PostgreSQL may run as another user (see `server_user`)
        self.pids = self.folder / "pids"
        self._ports: set[int] = set()
        self.primary = PostgresNode("primary", self.folder / "primary", self._port(), self.pids)
        self.replicas: list[PostgresNode] = []
        self.redis: Child | None = None
        self.redis_port = 0
        self.pgbouncer: Child | None = None
        self.pgbouncer_port = 0
        self.bouncer: Bouncer | None = None
        self.apis: list[Child] = []
        self.api_ports: list[int] = []
        self._reaper: subprocess.Popen[bytes] | None = None

    def _port(self) -> int:
        return free_port(self._ports)

    # -- URLs
    @property
    def direct_url(self) -> str:
        return self.primary.url(DATABASE)

    @property
    def replica_urls(self) -> list[str]:
        return [replica.url(DATABASE) for replica in self.replicas]

    @property
    def pgbouncer_url(self) -> str:
        """Through PgBouncer, with prepared statements when it keeps them (1.21+)."""
        parameters = self.bouncer.url_parameters() if self.bouncer else "pgbouncer=true"
        return f"postgresql://postgres@127.0.0.1:{self.pgbouncer_port}/{DATABASE}?{parameters}"

    @property
    def pgbouncer_uncached_url(self) -> str:
        """Through PgBouncer without prepared statements (what 1.18 allows)."""
        return f"postgresql://postgres@127.0.0.1:{self.pgbouncer_port}/{DATABASE}?pgbouncer=true"

    @property
    def database_url(self) -> str:
        """What the API processes use for the primary."""
        use_bouncer = self.options.pgbouncer and self.options.via_pgbouncer
        return self.pgbouncer_url if use_bouncer else self.direct_url

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def api_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.api_ports]

    # -- lifecycle
    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._start_reaper()
        try:
            self._start_database()
            for index in range(self.options.replicas):
                self.add_replica(index)
            self._start_redis()
            if self.options.pgbouncer:
                self._start_pgbouncer()
            for index in range(self.options.api_processes):
                self.start_api(index)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Everything at once, the API processes first; PostgreSQL immediately (nothing here is
        kept), then what is left is waited for."""
        for api in self.apis:
            api.signal()
        for api in self.apis:
            api.stop(timeout=5)
        nodes = [node.child for node in (self.primary, *self.replicas) if node.child is not None]
        children = [c for c in (self.pgbouncer, self.redis, *nodes) if c is not None]
        for child in children:
            child.signal()
        for child in children:
            child.stop()
        if self._reaper is not None:
            self._reaper.terminate()
            self._reaper.wait()
            self._reaper = None
        if os.environ.get("SCALE_KEEP_LOGS"):  # for a post-mortem: data and logs stay
            print(f"topology folder kept: {self.folder}", file=sys.stderr)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _start_reaper(self) -> None:
        argv = [sys.executable, "-m", "scale.reaper", str(os.getpid()), str(self.folder)]
        self._reaper = subprocess.Popen(argv, cwd=REPO, start_new_session=True)

    # -- the parts
    def _start_database(self) -> None:
        self.primary.init_primary()
        self.primary.start()
        psql = [str(BIN / "psql"), "-q", "-h", str(self.primary.socket_dir)]
        psql += ["-p", str(self.primary.port), "-U", "postgres", "-d", "postgres"]
        self._run([*psql, "-c", f"CREATE DATABASE {DATABASE}"], "CREATE DATABASE")
        env = {**os.environ, "DATABASE_URL": self.direct_url}
        push = [sys.executable, "-m", "orm", "db", "push", "--from-client", "prisma"]
        self._run([*push, "--sql-dir", str(REPO / "sql")], "db push", env=env)
        seed = [sys.executable, "-m", "seed", "--scale", self.options.seed_scale, "--quiet"]
        self._run(seed, "seed", env=env)

    def _run(self, argv: list[str], what: str, env: dict[str, str] | None = None) -> None:
        log = self.folder / "setup.log"
        with log.open("ab") as out:
            done = subprocess.run(
                argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        if done.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            raise TopologyError(f"{what} failed (exit {done.returncode}):\n{tail}")

    def add_replica(self, index: int) -> PostgresNode:
        replica = PostgresNode(
            f"replica{index}", self.folder / f"replica{index}", self._port(), self.pids
        )
        replica.clone_from(self.primary)
        replica.start()
        self.replicas.append(replica)
        return replica

    def _start_redis(self) -> None:
        self.redis_port = self._port()
        argv = ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        log = self.folder / "redis.log"
        self.redis = spawn("redis", argv, log=log, pids=self.pids)
        port = self.redis_port
        wait_until(lambda: port_open(port), what="Redis", timeout=10, log=log)

    def _start_pgbouncer(self) -> None:
        self.bouncer = bouncer = find_pgbouncer()
        self.pgbouncer_port = self._port()
        folder = self.folder / "pgbouncer"
        folder.mkdir()
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        config = folder / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={self.primary.socket_dir} port={self.primary.port} user=postgres\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.pgbouncer_port}\n"
            "unix_socket_dir =\nauth_type = trust\n"
            f"auth_file = {folder / 'userlist.txt'}\n"
            "pool_mode = transaction\nmax_client_conn = 2000\ndefault_pool_size = 40\n"
            "ignore_startup_parameters = extra_float_digits\nadmin_users = postgres\n"
            "server_login_retry = 1\n" + bouncer.settings()
        )
        log = folder / "pgbouncer.log"
        user = server_user()  # it refuses to run as root, too
        self.pgbouncer = spawn(
            "pgbouncer", [bouncer.binary, str(config)], log=log, pids=self.pids, user=user
        )
        port = self.pgbouncer_port
        wait_until(lambda: port_open(port), what="PgBouncer", timeout=10, log=log)

    def api_env(self, port: int) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DIRECT_URL": self.direct_url,
            "DATABASE_REPLICA_URLS": ",".join(self.replica_urls),
            "REDIS_URL": self.redis_url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WORKERS": "1",
            "LOG_LEVEL": "warning",
            "ENVIRONMENT": "development",
        }
        env.update(self.options.api_env)
        return env

    def start_api(self, index: int, overrides: dict[str, str] | None = None) -> Child:
        """API process `index`; `overrides` change its environment (bench/scale.py runs the
        same topology with and without replicas or PgBouncer)."""
        port = self._port()
        log = self.folder / f"api{index}.log"
        argv = [sys.executable, "-m", "api"]
        env = {**self.api_env(port), **(overrides or {})}
        child = spawn(f"api{index}", argv, log=log, pids=self.pids, env=env)
        self.apis.append(child)
        self.api_ports.append(port)
        wait_until(lambda: _healthy(port, child), what=f"API process {index}", timeout=60, log=log)
        return child


def _healthy(port: int, child: Child) -> bool:
    if not child.alive():
        raise TopologyError(f"API process {child.name} exited; see {child.log}")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False
