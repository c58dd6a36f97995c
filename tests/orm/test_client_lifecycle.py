"""Connecting, disconnecting, registration, and what a client does before it is connected."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from orm.runtime import errors
from orm.runtime.client import get_client, register
from orm.runtime.registry import unregister
from tests.orm.engine_helpers import ItemClient


@pytest.fixture
def no_registered_client() -> Iterator[None]:
    unregister()
    yield
    unregister()


async def test_using_a_client_before_connect_says_to_connect(schema_url: str) -> None:
    db = ItemClient(datasource={"url": schema_url})
    assert not db.is_connected()
    with pytest.raises(errors.ClientNotConnectedError, match="connect"):
        await db.query_raw("SELECT 1")
    with pytest.raises(errors.ClientNotConnectedError):
        db._executor()  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(errors.ClientNotConnectedError):
        await db.tx().start()


async def test_connect_disconnect_and_reconnect(schema_url: str) -> None:
    db = ItemClient(datasource={"url": schema_url}, connection_limit=1)
    await db.connect()
    await db.connect()  # connecting twice is harmless
    assert db.is_connected()
    assert await db.query_first("SELECT 1 AS one") == {"one": 1}
    await db.disconnect()
    assert not db.is_connected()
    with pytest.raises(errors.ClientNotConnectedError):
        await db.query_raw("SELECT 1")
    await db.connect()
    assert await db.query_first("SELECT 2 AS two") == {"two": 2}
    await db.disconnect()


async def test_disconnect_does_not_wait_forever_for_a_forgotten_transaction(
    schema_url: str,
) -> None:
    db = ItemClient(datasource={"url": schema_url}, connection_limit=1)
    await db.connect()
    await db.tx(timeout=60_000).start()  # never committed
    await db.disconnect(timeout=timedelta(milliseconds=100))
    assert not db.is_connected()


async def test_pgbouncer_mode_runs_without_a_statement_cache(schema_url: str) -> None:
    url = f"{schema_url}&pgbouncer=true"
    async with ItemClient(datasource={"url": url}, connection_limit=1) as db:
        for n in range(3):
            assert await db.query_first("SELECT $1::int AS n", n) == {"n": n}


async def test_async_with_connects_and_disconnects(schema_url: str) -> None:
    async with ItemClient(datasource={"url": schema_url}, connection_limit=1) as db:
        assert db.is_connected()
    assert not db.is_connected()


async def test_database_url_is_read_at_connect_from_the_environment(
    schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = ItemClient(connection_limit=1)  # no URL yet: building the client must not fail
    monkeypatch.setenv("DATABASE_URL", schema_url)
    async with db:
        schema = await db.query_first("SELECT current_schema() AS s")
    assert schema == {"s": schema_url.rsplit("=", 1)[1]}


async def test_url_settings_reach_the_session(schema_url: str) -> None:
    url = f"{schema_url}&application_name=orm-test&statement_timeout=1234"
    async with ItemClient(datasource={"url": url}, connection_limit=1) as db:
        row = await db.query_first(
            "SELECT current_setting('application_name') AS app,"
            " current_setting('statement_timeout') AS timeout"
        )
    assert row == {"app": "orm-test", "timeout": "1234ms"}


async def test_unreachable_database_fails_at_connect_without_the_password() -> None:
    db = ItemClient(
        datasource={"url": "postgresql://postgres:hunter2@127.0.0.1:1/test"}, connect_timeout=2
    )
    with pytest.raises(errors.DatabaseUnavailableError, match="Could not connect") as caught:
        await db.connect()
    assert "hunter2" not in str(caught.value)
    assert not db.is_connected()


@pytest.mark.usefixtures("no_registered_client")
def test_register_and_get_client(schema_url: str) -> None:
    with pytest.raises(errors.ClientNotRegisteredError):
        get_client()
    db = ItemClient(datasource={"url": schema_url})
    register(db)
    assert get_client() is db
    with pytest.raises(errors.ClientAlreadyRegisteredError):
        register(ItemClient(datasource={"url": schema_url}))


@pytest.mark.usefixtures("no_registered_client")
def test_auto_register(schema_url: str) -> None:
    db = ItemClient(datasource={"url": schema_url}, auto_register=True)
    assert get_client() is db


@pytest.mark.usefixtures("no_registered_client")
def test_register_a_factory_called_on_every_get_client(schema_url: str) -> None:
    made: list[ItemClient] = []

    def factory() -> ItemClient:
        made.append(ItemClient(datasource={"url": schema_url}))
        return made[-1]

    register(factory)
    assert get_client() is made[0]
    assert get_client() is made[1]


def test_metrics_before_connect_are_empty_but_well_formed() -> None:
    client = ItemClient(datasource={"url": "postgresql://nowhere/db"})
    metrics = client.metrics_snapshot().model_dump()
    assert set(metrics) == {"counters", "gauges", "histograms"}
    assert [(g["key"], g["value"]) for g in metrics["gauges"]] == [
        ("prisma_client_queries_active", 0)
    ]
    total = next(c for c in metrics["counters"] if c["key"] == "prisma_client_queries_total")
    assert total["value"] == 0
