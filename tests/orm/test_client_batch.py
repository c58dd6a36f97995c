"""`batch_()`: queued writes run through the delegates in one transaction, all or nothing."""

from __future__ import annotations

import pytest

from orm.runtime import errors
from orm.runtime.client import QueryEvent
from tests.orm.engine_helpers import connected


async def test_a_batch_runs_its_writes_in_one_transaction_on_exit(schema_url: str) -> None:
    events: list[QueryEvent] = []
    async with connected(schema_url) as db:
        db.add_query_listener(events.append)
        async with db.batch_() as batcher:
            batcher.add("create", {"data": {"name": "a", "qty": 1}})
            batcher.add("create", {"data": {"name": "b", "qty": 1}})
            batcher.add("update_many", {"data": {"qty": 5}, "where": {"name": "b"}})
            assert events == []  # nothing runs until the block ends
        rows = await db.query_raw("SELECT name, qty FROM items ORDER BY name")
    assert rows == [{"name": "a", "qty": 1}, {"name": "b", "qty": 5}]
    assert [e.action for e in events[:3]] == ["create", "create", "update_many"]


async def test_a_failing_write_rolls_back_the_whole_batch(schema_url: str) -> None:
    async with connected(schema_url) as db:
        batcher = db.batch_()
        batcher.add("create", {"data": {"name": "a"}})
        batcher.add("create", {"data": {"name": "a"}})
        with pytest.raises(errors.UniqueViolationError):
            await batcher.commit()
        assert await db.query_raw("SELECT name FROM items") == []


async def test_an_exception_in_the_block_discards_the_batch(schema_url: str) -> None:
    async with connected(schema_url) as db:

        async def abandon() -> None:
            async with db.batch_() as batcher:
                batcher.add("create", {"data": {"name": "a"}})
                raise RuntimeError("changed my mind")

        with pytest.raises(RuntimeError):
            await abandon()
        assert await db.query_raw("SELECT name FROM items") == []


async def test_a_batch_inside_a_transaction_uses_a_savepoint(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            async with tx.batch_() as batcher:
                batcher.add("create", {"data": {"name": "a"}})
            assert await db.query_raw("SELECT name FROM items") == []
        assert await db.query_raw("SELECT name FROM items") == [{"name": "a"}]


async def test_only_writes_can_be_batched(schema_url: str) -> None:
    async with connected(schema_url, tables=False) as db:
        with pytest.raises(errors.InputError, match="find_many"):
            db.batch_().add("find_many", {})


async def test_an_empty_batch_runs_nothing(schema_url: str) -> None:
    events: list[QueryEvent] = []
    async with connected(schema_url, tables=False) as db:
        db.add_query_listener(events.append)
        async with db.batch_():
            pass
    assert events == []
