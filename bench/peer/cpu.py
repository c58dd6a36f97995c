"""CPU a server spends on a run: its own process tree's, and its PostgreSQL sessions'.

Both from /proc (user + system time, every thread). A server's PostgreSQL sessions are the
backends whose `application_name` is the server's (`servers.with_application`); they are
readable when PostgreSQL runs on this machine, and read as 0 otherwise. A backend that ends
during a run takes its CPU with it; pools keep theirs open under load, so that is rare.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

from seed.pg import connect

__all__ = ["Meter", "Spent", "tree_pids", "tree_seconds"]

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _own_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14, 15)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return found


def tree_pids(pid: int) -> list[int]:
    """`pid` and its descendants."""
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += _children(current)
    return found


def tree_seconds(pid: int) -> float:
    """CPU of `pid` and its descendants so far."""
    return sum(_own_seconds(p) or 0.0 for p in tree_pids(pid))


async def _backends(database_url: str, application: str) -> list[int]:
    conn = await connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1", application
        )
    finally:
        await conn.close()
    return [int(str(row["pid"])) for row in rows]


def backend_seconds(database_url: str, application: str) -> dict[int, float]:
    """CPU so far of each PostgreSQL backend serving `application`."""
    found = {pid: _own_seconds(pid) for pid in asyncio.run(_backends(database_url, application))}
    return {pid: seconds for pid, seconds in found.items() if seconds is not None}


@dataclass(frozen=True, slots=True)
class Spent:
    server: float
    database: float


class Meter:
    """`start()` before a run, `stop()` after it: the CPU seconds spent in between."""

    def __init__(self, database_url: str, pid: int, application: str) -> None:
        self.database_url, self.pid, self.application = database_url, pid, application
        self._server = 0.0
        self._backends: dict[int, float] = {}

    def start(self) -> None:
        self._backends = backend_seconds(self.database_url, self.application)
        self._server = tree_seconds(self.pid)

    def stop(self) -> Spent:
        server = tree_seconds(self.pid) - self._server
        now = backend_seconds(self.database_url, self.application)
        database = sum(seconds - self._backends.get(pid, 0.0) for pid, seconds in now.items())
        return Spent(server, database)
