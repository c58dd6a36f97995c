"""Child processes of a topology: free ports, spawning with logs, readiness, stopping.

Every child starts in a session of its own, so Ctrl-C in the terminal reaches only the
process that owns the topology (which then stops the children in order), and its pid is written
to the topology's `pids` file, which the reaper reads if that owner dies.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PORT_RANGE", "Child", "TopologyError", "free_port", "spawn", "wait_until"]

PORT_RANGE = range(27000, 28000)


class TopologyError(RuntimeError):
    """A part of the topology did not start (the message names it and its log file)."""


def free_port(taken: set[int] | None = None) -> int:
    """A port of `PORT_RANGE` nothing listens on (and not in `taken`)."""
    taken = taken if taken is not None else set()
    candidates = [port for port in PORT_RANGE if port not in taken]
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise TopologyError(f"no free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}")


def wait_until(ready: Callable[[], bool], *, what: str, timeout: float, log: Path | None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.05)
    tail = ""
    if log is not None and log.exists():
        tail = "\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    raise TopologyError(f"{what} was not ready after {timeout:g} s (log: {log}){tail}")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass(slots=True)
class Child:
    """One running child; `stop_signal` is its graceful stop (SIGQUIT stops PostgreSQL at once)."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    stop_signal: int = signal.SIGTERM

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def signal(self, sig: int | None = None) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, self.stop_signal if sig is None else sig)

    def stop(self, sig: int | None = None, *, timeout: float = 10.0) -> None:
        """Signal, wait up to `timeout` seconds, then SIGKILL."""
        if not self.alive():
            return
        self.signal(sig)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def spawn(
    name: str,
    argv: Sequence[str],
    *,
    log: Path,
    pids: Path,
    env: Mapping[str, str] | None = None,
    stop_signal: int = signal.SIGTERM,
    user: str | None = None,
) -> Child:
    with log.open("ab") as out:
        process = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            start_new_session=True,
            user=user,
        )
    with pids.open("a") as file:
        file.write(f"{process.pid} {int(stop_signal)}\n")
    return Child(name, process, log, stop_signal)
