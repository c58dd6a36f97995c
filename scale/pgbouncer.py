"""Which PgBouncer the topology runs, and whether it keeps prepared statements.

Debian bookworm's package is 1.18: in transaction mode it can't keep named prepared statements,
so clients connect with `pgbouncer=true` (asyncpg's statement cache off: every statement is
parsed again, one more round trip). From 1.21 on, `max_prepared_statements` makes PgBouncer
track protocol-level prepared statements per client and prepare them on whichever server
connection runs them, so clients keep their cache: `pgbouncer=true&statement_cache_size=100`.

The binary: `$PGBOUNCER` if set, else the one `scale/build-pgbouncer` builds (Debian trixie's
source, into `/opt/pgbouncer`), else `pgbouncer` on the PATH (Debian's package).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scale.processes import TopologyError

__all__ = ["BUILT", "PREPARED_SINCE", "Bouncer", "find_pgbouncer"]

BUILT = Path("/opt/pgbouncer/bin/pgbouncer")
PREPARED_SINCE = (1, 21)
MAX_PREPARED_STATEMENTS = 200  # per server connection; asyncpg's cache holds 100 per client


@dataclass(frozen=True, slots=True)
class Bouncer:
    binary: str
    version: tuple[int, int]

    @property
    def keeps_prepared_statements(self) -> bool:
        return self.version >= PREPARED_SINCE

    def settings(self) -> str:
        """pgbouncer.ini lines that depend on the version."""
        if not self.keeps_prepared_statements:
            return ""
        return f"max_prepared_statements = {MAX_PREPARED_STATEMENTS}\n"

    def url_parameters(self) -> str:
        """What a client's URL says to connect through it."""
        if self.keeps_prepared_statements:
            return "pgbouncer=true&statement_cache_size=100"
        return "pgbouncer=true"


def find_pgbouncer() -> Bouncer:
    chosen = os.environ.get("PGBOUNCER")
    if not chosen:
        chosen = str(BUILT) if os.access(BUILT, os.X_OK) else shutil.which("pgbouncer")
    if not chosen:
        raise TopologyError("no pgbouncer: apt-get install pgbouncer, or scale/build-pgbouncer")
    try:
        done = subprocess.run(
            [chosen, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError as error:
        raise TopologyError(f"can't run {chosen}: {error}") from None
    found = re.search(r"PgBouncer (\d+)\.(\d+)", done.stdout)
    if found is None:
        raise TopologyError(f"{chosen} --version printed no version: {done.stdout!r}")
    return Bouncer(chosen, (int(found.group(1)), int(found.group(2))))
