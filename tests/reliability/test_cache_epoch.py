"""The cache epoch (`api/cache/epoch.py`) when its LISTEN connection or the database is down.

A process whose listener can't connect reads the epoch before each lookup, so it still never
serves an entry of an older epoch; one that can't read it either serves uncached.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import pytest

from api.cache import CacheEpochs, Entry, MemoryBackend, TaggedCache
from api.metrics import ApiMetrics
from prisma import Prisma
from tests.reliability.api_fixtures import domain_database
from tests.reliability.servers import free_port

__all__ = ["domain_database"]


@pytest.fixture
async def db(domain_database: str) -> AsyncGenerator[Prisma]:
    async with Prisma(datasource={"url": domain_database}, connection_limit=2) as client:
        await client.execute_raw("TRUNCATE cache_epochs")
        yield client


async def heard(epochs: CacheEpochs, epoch: int) -> int | None:
    for _ in range(100):
        if await epochs.current() == epoch:
            break
        await asyncio.sleep(0.05)
    return await epochs.current()


async def test_a_process_without_its_listener_reads_the_epoch_per_lookup(
    db: Prisma, domain_database: str
) -> None:
    listening = CacheEpochs(db, domain_database)
    deaf = CacheEpochs(db, f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere")
    await listening.start()
    await deaf.start()  # can't connect: keeps retrying in the background
    try:
        before = (await listening.current(), await deaf.current())
        await deaf.bump()  # announced to the listener, read by the deaf one
        after = (await heard(listening, 1), await deaf.current())
        await listening.bump()
        later = (await listening.current(), await deaf.current())
    finally:
        await listening.close()
        await deaf.close()
    assert (listening.listening, deaf.listening) == (False, False)  # closed
    assert (before, after, later) == ((0, 0), (1, 1), (2, 2))


async def test_when_the_epoch_cannot_be_read_nothing_is_served_from_the_cache(
    domain_database: str,
) -> None:
    down = Prisma(datasource={"url": domain_database})  # never connected: every read fails
    epochs = CacheEpochs(down, f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere")
    cache = TaggedCache(MemoryBackend(), ApiMetrics(), epochs=epochs)
    computed: list[int] = []

    async def produce() -> Entry:
        computed.append(1)
        return Entry(b"answer", 60, frozenset({"t"}))

    try:
        found = [await cache.load("op:k", produce, level="operation") for _ in range(3)]
    finally:
        await cache.close()
    assert [f.hit for f in found] == [False, False, False]
    assert len(computed) == 3
