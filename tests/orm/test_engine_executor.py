"""The executor: compiled statements run on asyncpg, cached, observed, counted."""

from __future__ import annotations

import logging
from itertools import count

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from orm.runtime.client import QueryEvent
from orm.runtime.engine import BaseExecutor
from orm.runtime.errors import UniqueViolationError
from orm.runtime.types import JsonValue
from tests.orm.engine_helpers import connected, items


def _runner(executor: object) -> BaseExecutor:
    assert isinstance(executor, BaseExecutor)
    return executor


async def test_fetch_returns_dicts_keyed_by_label_with_json_decoded(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        created = await ex.fetch(
            insert(items)
            .values(name="lamp", qty=2, meta={"colour": "red", "sizes": [1, 2]})
            .returning(items.c.id, items.c.meta.label("extra")),
        )
        assert created == [{"id": 1, "extra": {"colour": "red", "sizes": [1, 2]}}]
        rows = await ex.fetch(select(items.c.name, items.c.qty).where(items.c.id == 1))
        assert rows == [{"name": "lamp", "qty": 2}]


async def test_execute_returns_affected_rows(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        for name in ("a", "b", "c"):
            await ex.execute(insert(items).values(name=name, qty=1))
        assert await ex.execute(update(items).where(items.c.name != "a").values(qty=5)) == 2
        assert await ex.execute(delete(items).where(items.c.qty == 99)) == 0
        assert await ex.execute(delete(items)) == 3


async def test_compiled_sql_is_cached_across_values(schema_url: str) -> None:
    events: list[QueryEvent] = []
    async with connected(schema_url) as db:
        db.add_query_listener(events.append)
        runner = _runner(db._executor())  # pyright: ignore[reportPrivateUsage]
        compiler = runner._engine.compiler  # pyright: ignore[reportPrivateUsage]
        for i in range(5):
            await runner.fetch(select(items.c.id).where(items.c.name == f"n{i}").limit(i + 1))
        assert compiler.misses == 1
        assert compiler.hits == 4
        assert len({e.sql for e in events}) == 1
        assert events[-1].param_types == ("str", "int")


async def test_in_lists_of_any_length_share_one_cached_compilation(schema_url: str) -> None:
    async with connected(schema_url) as db:
        runner = _runner(db._executor())  # pyright: ignore[reportPrivateUsage]
        for name in ("a", "b", "c", "d"):
            await runner.execute(insert(items).values(name=name))
        misses = runner._engine.compiler.misses  # pyright: ignore[reportPrivateUsage]

        def names_in(names: list[str]) -> Select[tuple[str]]:
            return select(items.c.name).where(items.c.name.in_(names)).order_by(items.c.name)

        one = await runner.fetch(names_in(["a"]))
        three = await runner.fetch(names_in(["b", "c", "d"]))
        empty = await runner.fetch(names_in([]))
        assert [r["name"] for r in one] == ["a"]
        assert [r["name"] for r in three] == ["b", "c", "d"]
        assert empty == []
        assert runner._engine.compiler.misses == misses + 1  # pyright: ignore[reportPrivateUsage]


async def test_client_side_column_defaults_are_filled_in(schema_url: str) -> None:
    serial = count(1)
    table = Table(
        "items",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String, default=lambda: f"generated-{next(serial)}"),
        Column("qty", Integer, default=7),
    )
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        first = await ex.fetch(insert(table).returning(table.c.name, table.c.qty))
        second = await ex.fetch(insert(table).returning(table.c.name, table.c.qty))
        assert [first, second] == [
            [{"name": "generated-1", "qty": 7}],
            [{"name": "generated-2", "qty": 7}],
        ]


async def test_listeners_see_each_statement_once_with_model_action_and_rows(
    schema_url: str,
) -> None:
    events: list[QueryEvent] = []
    async with connected(schema_url) as db:
        db.add_query_listener(events.append)
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        await ex.execute(insert(items).values(name="x"), model="Item", action="create")
        await ex.fetch(select(items), model="Item", action="find_many")
        db.remove_query_listener(events.append)
        await ex.fetch(select(items))
    assert [(e.model, e.action, e.rows, e.error) for e in events] == [
        ("Item", "create", 1, None),
        ("Item", "find_many", 1, None),
    ]
    assert events[0].param_types == ("str",)
    assert all(e.duration_ms >= 0 for e in events)


async def test_a_failing_listener_does_not_fail_the_statement(
    schema_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: QueryEvent) -> None:
        raise RuntimeError("listener bug")

    async with connected(schema_url, on_query=broken) as db:
        rows = await db.query_raw("SELECT 1 AS one")
    assert rows == [{"one": 1}]
    assert "query listener" in caplog.text


async def test_slow_statements_are_logged_with_parameter_types_never_values(
    schema_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="orm.query")
    async with connected(schema_url, slow_query_ms=0.0) as db:
        await db.query_raw("SELECT $1::text AS secret", "hunter2")
    record = caplog.records[-1]
    assert record.levelno == logging.WARNING
    assert "slow statement" in record.getMessage()
    assert "('str',)" in record.getMessage()
    assert "SELECT $1::text AS secret" in record.getMessage()
    assert "hunter2" not in caplog.text


async def test_very_slow_statements_log_the_full_sql_at_error(
    schema_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="orm.query")
    long_sql = "SELECT " + ", ".join(f"{i} AS c{i}" for i in range(200))
    async with connected(schema_url, slow_query_ms=0.0, full_sql_ms=0.0) as db:
        await db.query_raw(long_sql)
    record = caplog.records[-1]
    assert record.levelno == logging.ERROR
    assert long_sql in record.getMessage()


async def test_metrics_count_statements_errors_and_latency_by_model_and_action(
    schema_url: str,
) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        for _ in range(3):
            await ex.fetch(select(func.count()).select_from(items), model="Item", action="count")
        await ex.execute(insert(items).values(name="dup"), model="Item", action="create")
        with pytest.raises(UniqueViolationError):
            await ex.execute(insert(items).values(name="dup"), model="Item", action="create")
        metrics = (await db.get_metrics()).model_dump()
    counters = {
        (c["key"], tuple(sorted(c["labels"].items()))): c["value"] for c in metrics["counters"]
    }
    assert counters["orm_statements_total", (("action", "count"), ("model", "Item"))] == 3
    assert counters["orm_statements_total", (("action", "create"), ("model", "Item"))] == 2
    error_labels = (("action", "create"), ("error", "UniqueViolationError"), ("model", "Item"))
    assert counters["orm_statement_errors_total", error_labels] == 1
    histograms: dict[str, JsonValue] = {
        h["key"] + repr(sorted(h["labels"].items())): h["value"] for h in metrics["histograms"]
    }
    count_histogram = histograms[
        "orm_statement_duration_ms[('action', 'count'), ('model', 'Item')]"
    ]
    assert count_histogram["count"] == 3
    assert count_histogram["buckets"][-1]["total_count"] <= 3


async def test_pool_gauges_report_open_busy_idle_and_waiting(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=2) as db:
        async with db.tx():
            gauges = {
                g["key"]: g["value"]
                for g in (await db.get_metrics()).model_dump()["gauges"]
                if g["labels"].get("pool") == "primary"
            }
        assert gauges["prisma_pool_connections_busy"] == 1
        assert gauges["prisma_pool_connections_open"] >= 1
        assert gauges["prisma_client_queries_wait"] == 0


async def test_log_queries_logs_every_statement_at_info(
    schema_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="orm.query")
    async with connected(schema_url, log_queries=True, tables=False) as db:
        await db.query_raw("SELECT $1::text AS value", "not logged")
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any("SELECT $1::text AS value" in m for m in messages)
    assert "not logged" not in caplog.text
