"""The sync client's overhead: the same operations through `interface = "sync"` and the async
client, on the conformance schema (tests/orm/conformance), one call after another.

    .venv/bin/python bench/orm_sync.py [--iterations 1000] [--rounds 3]

The sync client runs the async core on a private event-loop thread (orm/runtime/sync.py), so
the difference is the hop to that thread and back per call. Figures are printed with the load
average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packages" / "orm"))

from bench.orm import _ddl  # pyright: ignore[reportPrivateUsage]
from bench.timing import samples_us, samples_us_sync
from orm.runtime.engine.pool import _create_pool  # pyright: ignore[reportPrivateUsage]
from tests.orm.conformance.generated import sync_client
from tests.orm.conformance.generated.client import SCHEMA, Prisma
from tests.orm.conformance.generated.client.types import PostCreateInput

BASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _median_us(call: Callable[[], object], iterations: int) -> float:
    return statistics.median(samples_us_sync(call, iterations))


async def _amedian_us(call: Callable[[], Awaitable[object]], iterations: int) -> float:
    return statistics.median(await samples_us(call, iterations))


def _sync_figures(url: str, iterations: int, out: dict[str, float]) -> None:
    with sync_client.Prisma(datasource={"url": url}, connection_limit=2) as db:
        user = db.user.find_first_or_raise(where={"name": "bench"})
        out["find_unique"] = _median_us(
            lambda: db.user.find_unique(where={"id": user.id}), iterations
        )
        out["find_many"] = _median_us(
            lambda: db.user.find_many(take=20, include={"posts": True}), iterations
        )
        out["create"] = _median_us(lambda: db.category.create({"name": "c"}), iterations)


async def main(iterations: int, rounds: int) -> None:
    schema = f"bench_orm_sync_{os.getpid()}"
    admin = await _create_pool(BASE_URL, min_size=1, max_size=1)
    conn = await admin.acquire()
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    for statement in _ddl(SCHEMA.sqlalchemy_metadata(schema)):
        await conn.execute(statement)
    url = f"{BASE_URL}?schema={schema}"
    try:
        async with Prisma(datasource={"url": url}, connection_limit=2) as db:
            user = await db.user.create({"name": "bench"})
            for i in range(40):
                posts: list[PostCreateInput] = [{"title": "t", "published": True}] * 10
                await db.user.create({"name": f"u{i}", "posts": {"create": posts}})
            best: dict[str, float] = {}
            best_sync: dict[str, float] = {}
            for _ in range(rounds):  # alternate, keeping each side's best round: load drifts
                figures = {
                    "find_unique": await _amedian_us(
                        lambda: db.user.find_unique(where={"id": user.id}), iterations
                    ),
                    "find_many": await _amedian_us(
                        lambda: db.user.find_many(take=20, include={"posts": True}), iterations
                    ),
                    "create": await _amedian_us(
                        lambda: db.category.create({"name": "c"}), iterations
                    ),
                }
                sync: dict[str, float] = {}
                thread = threading.Thread(target=_sync_figures, args=(url, iterations, sync))
                thread.start()
                thread.join()
                for name, value in figures.items():
                    best[name] = min(best.get(name, value), value)
                    best_sync[name] = min(best_sync.get(name, sync[name]), sync[name])
        for name, async_us in best.items():
            sync_us = best_sync[name]
            print(
                f"{name:<12} async median {async_us:7.0f} µs | sync median {sync_us:7.0f} µs"
                f" | sync overhead {sync_us - async_us:+6.0f} µs ({sync_us / async_us:4.2f}x)"
            )
        load = os.getloadavg()
        print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.release(conn)
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.iterations, args.rounds))
