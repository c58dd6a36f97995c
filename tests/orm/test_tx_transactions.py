"""`db.tx()`: one connection, commit / rollback, isolation, savepoints, expiry, max_wait."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from orm.runtime import errors
from tests.orm.engine_helpers import ItemClient, connected, items


async def _count(db: ItemClient) -> int:
    rows = await db._executor().fetch(select(func.count().label("n")).select_from(items))  # pyright: ignore[reportPrivateUsage]
    return int(rows[0]["n"])


async def _add(db: ItemClient, name: str) -> None:
    await db._executor().execute(insert(items).values(name=name))  # pyright: ignore[reportPrivateUsage]


async def test_commit_makes_writes_visible_and_the_copy_is_bound(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            assert type(tx) is ItemClient
            assert tx is not db
            assert tx.item._client is tx  # pyright: ignore[reportPrivateUsage]
            assert tx._executor().in_transaction  # pyright: ignore[reportPrivateUsage]
            await _add(tx, "a")
            await _add(tx, "b")
            assert await _count(tx) == 2
            assert await _count(db) == 0  # another connection can't see it yet
        assert await _count(db) == 2
        assert not db._executor().in_transaction  # pyright: ignore[reportPrivateUsage]
        outcomes = {
            c["labels"]["outcome"]: c["value"]
            for c in (await db.get_metrics()).model_dump()["counters"]
            if c["key"] == "orm_transactions_total"
        }
        assert outcomes == {"committed": 1}


async def test_an_exception_rolls_everything_back(schema_url: str) -> None:
    async with connected(schema_url) as db:

        async def fail() -> None:
            async with db.tx() as tx:
                await _add(tx, "a")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await fail()
        assert await _count(db) == 0


async def test_a_failed_statement_rolls_back_the_whole_transaction(schema_url: str) -> None:
    async with connected(schema_url) as db:

        async def duplicate() -> None:
            async with db.tx() as tx:
                await _add(tx, "a")
                await _add(tx, "a")

        with pytest.raises(errors.UniqueViolationError):
            await duplicate()
        assert await _count(db) == 0


async def test_manual_start_commit_and_rollback(schema_url: str) -> None:
    async with connected(schema_url) as db:
        manager = db.tx()
        tx = await manager.start()
        await _add(tx, "kept")
        await manager.commit()
        manager = db.tx()
        tx = await manager.start()
        await _add(tx, "dropped")
        await manager.rollback()
        rows = await db.query_raw("SELECT name FROM items")
        assert rows == [{"name": "kept"}]


@pytest.mark.parametrize(
    ("level", "shown"),
    [
        ("ReadUncommitted", "read uncommitted"),
        ("ReadCommitted", "read committed"),
        ("RepeatableRead", "repeatable read"),
        ("Serializable", "serializable"),
    ],
)
async def test_isolation_levels_map_to_sql(schema_url: str, level: str, shown: str) -> None:
    async with (
        connected(schema_url, tables=False) as db,
        db.tx(isolation_level=level) as tx,  # pyright: ignore[reportArgumentType]
    ):
        assert await tx.query_first("SHOW transaction_isolation") == {
            "transaction_isolation": shown
        }


@pytest.mark.filterwarnings("ignore:The current client is already in a transaction")
async def test_nested_tx_is_a_savepoint(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            await _add(tx, "outer")

            async def fail_inside() -> None:
                async with tx.tx() as inner:
                    await _add(inner, "inner")
                    raise RuntimeError

            with pytest.raises(RuntimeError):
                await fail_inside()
            async with tx.tx() as inner:
                await _add(inner, "kept")
        rows = await db.query_raw("SELECT name FROM items ORDER BY name")
        assert rows == [{"name": "kept"}, {"name": "outer"}]


async def test_executor_transaction_nests_with_savepoints(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db._executor().transaction() as outer:  # pyright: ignore[reportPrivateUsage]
            await outer.execute(insert(items).values(name="a"))

            async def duplicate_inside() -> None:
                async with outer.transaction() as inner:
                    await inner.execute(insert(items).values(name="b"))
                    await inner.execute(insert(items).values(name="a"))

            with pytest.raises(errors.UniqueViolationError):
                await duplicate_inside()
            await outer.execute(insert(items).values(name="c"))
        rows = await db.query_raw("SELECT name FROM items ORDER BY name")
        assert [r["name"] for r in rows] == ["a", "c"]


async def test_expired_transactions_are_rolled_back_and_refuse_further_use(
    schema_url: str,
) -> None:
    async with connected(schema_url) as db:

        async def dawdle() -> None:
            async with db.tx(timeout=100) as tx:
                await _add(tx, "a")
                await asyncio.sleep(0.3)
                await _add(tx, "b")

        with pytest.raises(errors.TransactionExpiredError, match="expired after 100 ms"):
            await dawdle()
        assert await _count(db) == 0
        gauges = (await db.get_metrics()).gauges
        busy = [g for g in gauges if g.key == "prisma_pool_connections_busy"]
        assert busy[0].value == 0


async def test_a_statement_running_past_the_deadline_is_cancelled(schema_url: str) -> None:
    async with connected(schema_url) as db:
        manager = db.tx(timeout=timedelta(seconds=1))
        tx = await manager.start()
        await _add(tx, "a")
        with pytest.raises(errors.TransactionExpiredError):
            await tx.execute_raw("SELECT pg_sleep(5)")
        with pytest.raises(errors.TransactionExpiredError):
            await manager.commit()
        await manager.rollback()  # a no-op now
        assert await _count(db) == 0


async def test_using_a_transaction_client_after_commit_is_refused(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            await _add(tx, "a")
        with pytest.raises(errors.TransactionError, match="on a committed transaction"):
            await _add(tx, "b")


async def test_concurrent_statements_on_one_transaction_are_serialised(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            await asyncio.gather(*(_add(tx, f"n{i}") for i in range(10)))
        assert await _count(db) == 10


async def test_max_wait_gives_up_when_the_pool_is_exhausted(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=1) as db, db.tx():
        with pytest.raises(errors.TransactionError, match="max_wait=50 ms"):
            async with db.tx(max_wait=50):
                pass


async def test_pool_timeout_when_every_connection_is_held(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=1, pool_timeout=0.05) as db, db.tx():
        with pytest.raises(errors.PoolTimeoutError, match="connection_limit=1"):
            await db.query_raw("SELECT 1")


async def test_statements_after_a_failure_in_the_same_transaction_explain_why_they_fail(
    schema_url: str,
) -> None:
    async with connected(schema_url) as db:
        manager = db.tx()
        tx = await manager.start()
        await _add(tx, "a")
        with pytest.raises(errors.UniqueViolationError):
            await _add(tx, "a")
        with pytest.raises(errors.TransactionError, match="nested `tx\\(\\)`"):
            await _add(tx, "b")
        await manager.rollback()


@pytest.mark.filterwarnings("ignore:The current client is already in a transaction")
async def test_a_savepoint_lets_the_transaction_continue_after_a_failure(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            await _add(tx, "a")

            async def duplicate_in_savepoint() -> None:
                async with tx.tx() as inner:
                    await _add(inner, "a")

            with pytest.raises(errors.UniqueViolationError):
                await duplicate_in_savepoint()
            await _add(tx, "b")
        assert await _count(db) == 2
