"""Replica routing on one PostgreSQL: "replicas" are the same database under other application
names (tests/scale runs real streaming replicas). The routing context, read-your-writes by WAL
position, a dead replica, and the router's report."""

from __future__ import annotations

import socket

from sqlalchemy import select

from orm.runtime.routing import (
    WRITE_LSN_SQL,
    ReplicaPolicy,
    format_lsn,
    parse_lsn,
    read_from_primary,
    read_from_replica,
)
from tests.orm.engine_helpers import connected
from tests.orm.test_client_replicas import APP, with_app

APP_SQL = "SELECT current_setting('application_name') AS app"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_lsn_text_round_trips() -> None:
    assert parse_lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert format_lsn(parse_lsn("0/3000060")) == "0/3000060"


async def test_the_routing_context_picks_the_node(schema_url: str) -> None:
    replica = with_app(schema_url, "replica")
    async with connected(with_app(schema_url, "primary"), replica_urls=[replica]) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        default = (await ex.fetch(select(APP)))[0]["app"]
        with read_from_primary():
            forced = (await ex.fetch(select(APP)))[0]["app"]
            with read_from_replica():  # the innermost block wins, raw SELECTs included
                raw = await db.query_first(APP_SQL)
        outside_raw = await db.query_first(APP_SQL)
    assert (default, forced, raw, outside_raw) == (
        "replica",
        "primary",
        {"app": "replica"},
        {"app": "primary"},
    )


async def test_a_replica_serves_a_write_floor_only_once_its_monitor_saw_it_replayed(
    schema_url: str,
) -> None:
    replica = with_app(schema_url, "replica")
    async with connected(with_app(schema_url, "primary"), replica_urls=[replica]) as db:
        router = db.read_routing()
        assert router is not None
        router.policy = ReplicaPolicy(check_interval=3600)  # checks run only when told
        await router.check()
        lsn = int((await db.query_first(WRITE_LSN_SQL) or {})["lsn"])
        await db.execute_raw("SELECT pg_logical_emit_message(false, 'test', 'x')")  # new WAL
        later = int((await db.query_first(WRITE_LSN_SQL) or {})["lsn"])
        with read_from_replica(min_lsn=later):
            before = await db.query_first(APP_SQL)
        await router.check()
        with read_from_replica(min_lsn=later):
            after = await db.query_first(APP_SQL)
        report = router.snapshot()
    assert later > lsn
    assert before == {"app": "primary"}
    assert after == {"app": "replica"}
    assert report["fallbacks"] == 1


async def test_a_replica_down_at_connect_serves_nothing_and_is_reported(schema_url: str) -> None:
    dead = f"postgresql://postgres@127.0.0.1:{_closed_port()}/test?application_name=dead"
    alive = with_app(schema_url, "replica")
    async with connected(with_app(schema_url, "primary"), replica_urls=[dead, alive]) as db:
        router = db.read_routing()
        assert router is not None
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        apps = [(await ex.fetch(select(APP)))[0]["app"] for _ in range(4)]
        dead_state = router.states["replica0"]
        reads = dict(router.reads)
    assert (dead_state.up, dead_state.error) == (False, "ConnectionRefusedError")
    assert apps == ["replica"] * 4
    assert reads == {"primary": 0, "replica0": 0, "replica1": 4}
