"""How long the application waits behind a `db push` that can't get its lock.

    .venv/bin/python -m bench.push                 # hold 8 s, 8 readers, small seed
    .venv/bin/python -m bench.push --hold 12 --readers 16

In a scratch schema (`push_bench_<pid>` in BENCH_DATABASE_URL's database, default the local
`test` database; dropped afterwards) the domain schema is pushed and seeded. Readers then run
the API's dream-by-id read back to back, each on its own connection, while a long transaction
(an open write on `dreams`, idle) holds the table for --hold seconds and a push adds a column to
`dreams`. Twice: with a lock timeout longer than the hold (how db push behaved before it had
one) and with the default (2 s, 5 retries). Prints the readers' latency (p50 / p99 / max) and
the push's own time and how long its transaction held its locks, for each. Machine load
skews the figures: quote `uptime` with them.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import cast

from orm.push.cli import load_datamodel
from orm.push.dmmf import JsonValue
from orm.push.locking import LockPolicy
from orm.push.runner import PushOptions, push
from orm.push.target import connect, parse_target
from seed import seed_database
from tests import ROOT
from tests.conftest import with_query

BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
Datamodel = dict[str, JsonValue]


def _with_column(datamodel: Datamodel, name: str) -> Datamodel:
    """The datamodel with an optional text field `name` added to Dream."""
    edited = copy.deepcopy(datamodel)
    for model in cast(list[dict[str, JsonValue]], edited["models"]):
        if model["name"] == "Dream":
            cast(list[JsonValue], model["fields"]).append(
                {"name": name, "kind": "scalar", "isList": False, "isRequired": False,
                 "isUnique": False, "isId": False, "isReadOnly": False,
                 "hasDefaultValue": False, "type": "String", "nativeType": None,
                 "isGenerated": False, "isUpdatedAt": False}
            )  # fmt: skip
    return edited


def _push_in_process(datamodel: Datamodel, url: str, lock: LockPolicy) -> tuple[float, float]:
    """(seconds the push took, seconds its transaction held its locks)."""
    marks: dict[str, float] = {}

    async def checkpoint(name: str) -> None:
        marks[name] = time.perf_counter()

    started = time.perf_counter()
    options = PushOptions(lock=lock, checkpoint=checkpoint)
    asyncio.run(push(datamodel, parse_target(url), options, out=lambda _line: None))
    return time.perf_counter() - started, marks["main_committed"] - marks["main_locked"]


async def _reader(url: str, ids: list[str], stop: asyncio.Event, waits: list[float]) -> None:
    conn = await connect(parse_target(url))
    try:
        i = 0
        while not stop.is_set():
            started = time.perf_counter()
            await conn.fetchval("SELECT title FROM dreams WHERE id = $1", ids[i % len(ids)])
            waits.append(time.perf_counter() - started)
            i += 1
    finally:
        await conn.close()


async def _run(url: str, datamodel: Datamodel, lock: LockPolicy, args: argparse.Namespace) -> str:
    admin = await connect(parse_target(url))
    ids = [str(r["id"]) for r in await admin.fetch("SELECT id FROM dreams LIMIT 200")]
    stop, waits = asyncio.Event(), list[float]()
    readers = [asyncio.create_task(_reader(url, ids, stop, waits)) for _ in range(args.readers)]
    blocker = await connect(parse_target(url))
    await blocker.execute("BEGIN")
    await blocker.execute("UPDATE dreams SET title = title WHERE id = $1", ids[0])
    release = asyncio.get_running_loop().call_later(
        args.hold, lambda: asyncio.ensure_future(blocker.execute("COMMIT"))
    )
    with ProcessPoolExecutor(1) as pool:  # its own process, as an operator runs it
        took, held = await asyncio.get_running_loop().run_in_executor(
            pool, _push_in_process, datamodel, url, lock
        )
    await asyncio.sleep(1)
    stop.set()
    await asyncio.gather(*readers)
    release.cancel()
    await blocker.close()
    await admin.close()
    waits.sort()
    p50, p99 = waits[len(waits) // 2], waits[int(len(waits) * 0.99)]
    return (
        f"lock_timeout {lock.timeout:>5g}s: {len(waits):>6} reads, p50 {p50 * 1000:6.1f} ms, "
        f"p99 {p99 * 1000:7.1f} ms, max {waits[-1] * 1000:7.1f} ms; push took {took:5.1f}s, "
        f"held its locks {held * 1000:.0f} ms"
    )


async def main(args: argparse.Namespace) -> None:
    schema = f"push_bench_{os.getpid()}"
    url = with_query(BASE_URL, schema=schema)
    datamodel = load_datamodel(ROOT / "schema.prisma", "prisma")
    await push(datamodel, parse_target(url), PushOptions(), out=lambda _line: None)
    try:
        await seed_database(url, scale=args.scale)
        print(f"load average: {os.getloadavg()[0]:.2f}; blocker holds dreams {args.hold:g}s")
        unbounded = LockPolicy(timeout=args.hold * 10, retries=0)
        print(await _run(url, _with_column(datamodel, "benchA"), unbounded, args))
        both = _with_column(_with_column(datamodel, "benchA"), "benchB")
        print(await _run(url, both, LockPolicy(), args))
        print(f"load average: {os.getloadavg()[0]:.2f}")
    finally:
        admin = await connect(parse_target(url))
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.push")
    parser.add_argument("--hold", type=float, default=8.0, help="seconds the blocker holds dreams")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--scale", default="small")
    asyncio.run(main(parser.parse_args()))
