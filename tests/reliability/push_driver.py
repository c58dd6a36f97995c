"""A push in its own process, for tests that kill it: `python -m tests.reliability.push_driver
<datamodel.json> <checkpoint> [sql_dir]` with DATABASE_URL set.

It prints `CHECKPOINT <name>` at every checkpoint the push passes and, at the one named on the
command line, `PAUSED <name>`, then waits forever: the test SIGKILLs it there, so the kill
lands at a known step (no sleeps, no timing). It pushes with --accept-data-loss, and with the
lock timeout in DB_PUSH_LOCK_TIMEOUT (seconds) if set.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from orm.push.dmmf import JsonValue
from orm.push.locking import LockPolicy
from orm.push.runner import PushOptions, push
from orm.push.target import parse_target

__all__ = ["main"]


async def _run(datamodel: dict[str, JsonValue], pause_at: str, sql_dir: Path | None) -> None:
    async def checkpoint(name: str) -> None:
        print(f"CHECKPOINT {name}", flush=True)
        if name == pause_at:
            print(f"PAUSED {name}", flush=True)
            await asyncio.Event().wait()

    lock = LockPolicy(timeout=float(os.environ.get("DB_PUSH_LOCK_TIMEOUT", "2")))
    options = PushOptions(accept_data_loss=True, sql_dir=sql_dir, lock=lock, checkpoint=checkpoint)
    await push(datamodel, parse_target(os.environ["DATABASE_URL"]), options, out=print)
    print("FINISHED", flush=True)


def main(argv: list[str]) -> int:
    datamodel: dict[str, JsonValue] = json.loads(Path(argv[0]).read_text())
    sql_dir = Path(argv[2]) if len(argv) > 2 else None
    asyncio.run(_run(datamodel, argv[1], sql_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
