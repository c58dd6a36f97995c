"""PostgreSQL 15 nodes from Debian's server binaries: a primary made by `initdb`, replicas by
`pg_basebackup -R` over the primary's Unix socket (no password prompt), each run in the
foreground as a child of the topology (no `pg_ctl` daemon, so the reaper knows its pid).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from scale.processes import Child, TopologyError, port_open, spawn, wait_until

__all__ = ["BIN", "PostgresNode", "binaries_present"]

BIN = Path("/usr/lib/postgresql/15/bin")

# Settings every node runs with: streaming replication on, and a test machine's durability
# (fsync off: a node that crashes is thrown away, never recovered).
_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "wal_level": "replica",
    "max_wal_senders": "8",
    "max_replication_slots": "8",
    "hot_standby": "on",
    "hot_standby_feedback": "on",
    "wal_receiver_status_interval": "1s",
    "max_connections": "300",
    "fsync": "off",
    "full_page_writes": "off",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
    "log_line_prefix": "%m [%p] ",
}


def binaries_present() -> bool:
    return all((BIN / name).is_file() for name in ("initdb", "postgres", "pg_basebackup"))


def server_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, nodes run as the `postgres` account (Debian's
    package creates it), else `nobody`; otherwise as the current user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise TopologyError("running as root, and neither a postgres nor a nobody account exists")


def _own(path: Path, user: str | None) -> None:
    if user is not None:
        shutil.chown(path, user)


def _run(argv: list[str], *, what: str, log: Path, user: str | None) -> None:
    with log.open("ab") as out:
        done = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False, user=user)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-10:])
        raise TopologyError(f"{what} failed (exit {done.returncode}):\n{tail}")


@dataclass(slots=True)
class PostgresNode:
    """One cluster: `data` folder, TCP `port` on 127.0.0.1, Unix socket in `socket_dir`."""

    name: str
    folder: Path
    port: int
    pids: Path
    child: Child | None = field(default=None, init=False)
    user: str | None = field(default_factory=server_user, init=False)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "sock"

    @property
    def log(self) -> Path:
        return self.folder / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _make_folder(self) -> None:
        self.folder.mkdir(parents=True)
        self.log.touch()
        for path in (self.folder, self.log):
            _own(path, self.user)

    def init_primary(self) -> None:
        self._make_folder()
        argv = [str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        argv += ["-E", "UTF8", "--locale=C.UTF-8", "-N"]
        _run(argv, what="initdb", log=self.log, user=self.user)

    def clone_from(self, primary: PostgresNode) -> None:
        """A streaming replica of `primary` (`standby.signal` and `primary_conninfo` by -R)."""
        self._make_folder()
        argv = [str(BIN / "pg_basebackup"), "-D", str(self.data), "-h", str(primary.socket_dir)]
        argv += ["-p", str(primary.port), "-U", "postgres", "-R", "-X", "stream", "-c", "fast"]
        _run(argv, what=f"pg_basebackup for {self.name}", log=self.log, user=self.user)

    def start(self, *, timeout: float = 30.0) -> None:
        self.socket_dir.mkdir(exist_ok=True)
        _own(self.socket_dir, self.user)
        argv = [str(BIN / "postgres"), "-D", str(self.data), "-p", str(self.port)]
        argv += ["-k", str(self.socket_dir)]
        for key, value in _SETTINGS.items():
            argv += ["-c", f"{key}={value}"]
        self.child = spawn(
            self.name,
            argv,
            log=self.log,
            pids=self.pids,
            stop_signal=signal.SIGQUIT,
            user=self.user,
        )
        wait_until(self.ready, what=f"PostgreSQL {self.name}", timeout=timeout, log=self.log)

    def ready(self) -> bool:
        if self.child is not None and not self.child.alive():
            raise TopologyError(f"PostgreSQL {self.name} exited; see {self.log}")
        if not port_open(self.port):
            return False
        probe = [str(BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(probe, check=False).returncode == 0

    def alive(self) -> bool:
        return self.child is not None and self.child.alive()

    def stop(self, *, fast: bool = True) -> None:
        """Fast shutdown (SIGINT: open sessions are ended, the data is consistent), or an
        immediate one (SIGQUIT: like a crash)."""
        if self.child is not None:
            self.child.stop(signal.SIGINT if fast else signal.SIGQUIT)

    def kill(self) -> None:
        """SIGKILL the postmaster: its connections die with it, as when a machine is lost."""
        if self.child is not None:
            self.child.stop(signal.SIGKILL)  # its backends notice and exit on their own

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
