"""`python -m scale.reaper <owner pid> <folder>`: tears a topology down if its owner dies.

Started by `Topology.start()`. Every half second it checks that the owner is alive; once it is
not (killed, crashed, a test run interrupted hard), it signals every pid listed in
`<folder>/pids` (PostgreSQL gets SIGQUIT, an immediate shutdown), kills what is left two seconds
later and removes the folder. A clean `Topology.stop()` ends the reaper first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from types import FrameType


def _listed(folder: Path) -> list[tuple[int, int]]:
    pids = folder / "pids"
    if not pids.exists():
        return []
    entries: list[tuple[int, int]] = []
    for line in pids.read_text().splitlines():
        pid, sig = line.split()
        entries.append((int(pid), int(sig)))
    return entries


def _signal_all(entries: list[tuple[int, int]], *, force: bool) -> None:
    for pid, sig in entries:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL if force else sig)


def reap(folder: Path) -> None:
    entries = _listed(folder)
    _signal_all(entries, force=False)
    time.sleep(2.0)
    _signal_all(entries, force=True)
    shutil.rmtree(folder, ignore_errors=True)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str]) -> int:
    owner, folder = int(argv[0]), Path(argv[1])
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            reap(folder)
            return 0
        if os.getppid() != owner:
            reap(folder)
            return 0
        time.sleep(0.5)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
