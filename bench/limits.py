"""What rate limits and persisted queries cost a request, measured at the store.

    REDIS_URL=redis://127.0.0.1:6379/0 python -m bench.limits [--count 2000]

Prints microseconds per call, one caller after another, for: a rate-limit check of two buckets
(the viewer's and one field's: what a one-field operation takes) in Redis (one Lua script) and
in process memory; a persisted query's Redis lookup (what a hash-only request this process
hasn't prepared costs) and its memo lookup (one it has); and 32 callers at once against Redis
(requests/s through the limiter). Keys are written under a scratch prefix and deleted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from api.cache import RedisBackend
from api.documents import DocumentLimits, DocumentStore
from api.limits.rates import Bucket, Rate
from api.limits.store import MemoryLimitStore, RedisLimitStore
from api.schema import schema


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


async def per_call(label: str, count: int, call: Callable[[int], Awaitable[object]]) -> None:
    started = time.perf_counter()
    for i in range(count):
        await call(i)
    micros = (time.perf_counter() - started) / count * 1e6
    print(f"{label:<44} {micros:8.1f} us/call   load {loadavg()}", flush=True)


async def caller(store: RedisLimitStore, buckets: list[Bucket], n: int, count: int) -> None:
    for _ in range(count):
        await store.take(f"u:{n}", buckets)


async def main(count: int, url: str) -> None:
    prefix = f"bench:limits:{uuid.uuid4().hex[:8]}:"
    buckets = [Bucket("all", Rate(10**9, 60)), Bucket("dreams", Rate(10**9, 60))]
    redis_store, memory_store = RedisLimitStore(url, prefix=prefix), MemoryLimitStore()
    backend = RedisBackend(url, prefix=prefix)
    documents = DocumentStore(schema._schema, DocumentLimits())  # pyright: ignore[reportPrivateUsage]
    text = "query Q { dreams(first: 5) { edges { node { id title } } } }"
    sha256 = documents.prepare(text).sha256
    await backend.store(f"apq:{sha256}", text.encode(), ttl=60, tags=(), seen=0)
    try:
        await per_call("rate limit, Redis (2 buckets, 1 script)", count,
                       lambda i: redis_store.take(f"u:{i % 100}", buckets))  # fmt: skip
        await per_call("rate limit, process memory", count,
                       lambda i: memory_store.take(f"u:{i % 100}", buckets))  # fmt: skip
        await per_call("persisted query, Redis lookup", count,
                       lambda i: backend.get(f"apq:{sha256}"))  # fmt: skip
        await per_call("persisted query, this process's memo", count,
                       lambda i: asyncio.sleep(0, documents.known(sha256)))  # fmt: skip
        started = time.perf_counter()
        await asyncio.gather(*(caller(redis_store, buckets, n, count // 32) for n in range(32)))
        rate = count // 32 * 32 / (time.perf_counter() - started)
        print(
            f"{'rate limit, Redis, 32 callers at once':<44} {rate:8.0f} checks/s  load {loadavg()}"
        )
    finally:
        await redis_store.close()
        await backend.close()
        redis = Redis.from_url(url)  # pyright: ignore[reportUnknownMemberType]
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if keys:
            await redis.delete(*keys)  # pyright: ignore[reportUnknownArgumentType]
        await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="What rate limits and persisted queries cost.")
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.count, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")))
