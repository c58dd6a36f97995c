"""Connection reuse: parked connections, waiters (served in order), connections that die while
idle."""

from __future__ import annotations

import asyncio

import pytest

from orm.runtime.engine.pool import MAX_PARKED, Pools, limited_wait
from orm.runtime.errors import DatabaseUnavailableError, PoolTimeoutError
from tests.orm.engine_helpers import ItemClient, connected


async def test_a_waiting_statement_gets_the_connection_a_transaction_releases(
    schema_url: str,
) -> None:
    async with connected(schema_url, connection_limit=1, tables=False) as db:
        manager = db.tx()
        tx = await manager.start()
        waiter = asyncio.ensure_future(db.query_first("SELECT 1 AS one"))
        await asyncio.sleep(0.05)
        assert not waiter.done()
        await tx.query_first("SELECT 2")
        await manager.commit()
        assert await asyncio.wait_for(waiter, 10) == {"one": 1}


async def test_concurrent_statements_share_a_small_pool(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=2, tables=False) as db:
        results = await asyncio.gather(
            *(
                db.query_first("SELECT $1::int AS n, pg_sleep(0.01)::text AS s", n)
                for n in range(20)
            )
        )
        metrics = (await db.get_metrics()).model_dump()
    assert [r and r["n"] for r in results] == list(range(20))
    gauges = {g["key"]: g["value"] for g in metrics["gauges"]}
    assert gauges["prisma_pool_connections_open"] <= 2
    assert gauges["prisma_pool_connections_busy"] == 0
    assert gauges["prisma_client_queries_wait"] == 0


async def test_a_connection_that_died_while_idle_is_replaced(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=1, tables=False) as db:
        pid = await db.query_first("SELECT pg_backend_pid() AS pid")
        assert pid is not None
        async with connected(schema_url, connection_limit=1, tables=False) as other:
            # With a timeout, PostgreSQL waits until the backend has exited.
            await other.query_raw("SELECT pg_terminate_backend($1, 5000)", pid["pid"])
        await asyncio.sleep(0.1)  # let the client read the closed socket
        again = await db.query_first("SELECT pg_backend_pid() AS pid")
    assert again is not None
    assert again["pid"] != pid["pid"]


async def test_after_a_burst_only_a_few_connections_stay_checked_out(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=8, tables=False) as db:
        await asyncio.gather(*(db.query_first("SELECT pg_sleep(0.02)") for _ in range(16)))
        engine = db._shared.engine  # pyright: ignore[reportPrivateUsage]
        assert engine is not None
        assert len(engine.pools.primary.parked) <= MAX_PARKED


async def test_a_statement_whose_backend_is_terminated_is_unavailable_not_bad_data(
    schema_url: str,
) -> None:
    async with connected(schema_url, connection_limit=2, tables=False) as db:
        sleeping = asyncio.ensure_future(
            db.query_first("SELECT pg_backend_pid() AS pid, pg_sleep(30)::text AS s")
        )
        async with connected(schema_url, connection_limit=1, tables=False) as other:
            row = None
            for _ in range(100):  # until the statement is running
                await asyncio.sleep(0.05)
                row = await other.query_first(
                    "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' "
                    "AND pid <> pg_backend_pid()"
                )
                if row is not None:
                    break
            assert row is not None
            await other.query_raw("SELECT pg_terminate_backend($1, 5000)", row["pid"])
        with pytest.raises(DatabaseUnavailableError, match="connection to PostgreSQL was lost"):
            await asyncio.wait_for(sleeping, 10)
        again = await db.query_first("SELECT 1 AS one")  # the pool recovers
    assert again == {"one": 1}


def _pools(db: ItemClient) -> Pools:
    engine = db._shared.engine  # pyright: ignore[reportPrivateUsage]
    assert engine is not None
    return engine.pools


async def test_waiting_statements_get_connections_in_the_order_they_asked(
    schema_url: str,
) -> None:
    done: list[int] = []
    async with connected(schema_url, connection_limit=1, tables=False) as db:

        async def ask(n: int) -> None:
            await db.query_first("SELECT $1::int AS n", n)
            done.append(n)

        waiters: list[asyncio.Future[None]] = []
        async with db.tx() as holder:
            await holder.query_first("SELECT 1")
            for n in range(8):
                waiters.append(asyncio.ensure_future(ask(n)))
                await asyncio.sleep(0.01)  # each is in line before the next asks
            assert _pools(db).primary.waiting == 8
        await asyncio.wait_for(asyncio.gather(*waiters), 10)
        assert _pools(db).primary.busy == 0
    assert done == list(range(8))


async def test_a_connection_handed_to_a_cancelled_waiter_goes_to_the_next(
    schema_url: str,
) -> None:
    async with connected(schema_url, connection_limit=1, tables=False) as db:
        pools = _pools(db)
        source = pools.primary
        held = await pools.acquire(source)
        first = asyncio.ensure_future(pools.acquire(source))
        second = asyncio.ensure_future(pools.acquire(source))
        await asyncio.sleep(0.01)
        assert source.waiting == 2
        await pools.release(source, held, clean=True)  # handed to `first`, which hasn't run
        first.cancel()
        assert await asyncio.wait_for(second, 10) is held
        assert first.cancelled()
        await pools.release(source, held, clean=True)
        assert source.busy == 0
        assert await db.query_first("SELECT 1 AS one") == {"one": 1}


async def test_a_waiter_that_times_out_leaves_its_place_to_the_next(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=1, tables=False) as db:
        manager = db.tx()
        tx = await manager.start()

        async def impatient() -> None:
            with limited_wait(0.05):
                await db.query_first("SELECT 1")

        hurried = asyncio.ensure_future(impatient())
        patient = asyncio.ensure_future(db.query_first("SELECT 2 AS two"))
        with pytest.raises(PoolTimeoutError, match=r"Timed out after 0\.05 s"):
            await asyncio.wait_for(hurried, 10)
        await tx.query_first("SELECT 3")
        await manager.commit()
        assert await asyncio.wait_for(patient, 10) == {"two": 2}
        assert _pools(db).primary.busy == 0
        assert _pools(db).primary.waiting == 0
