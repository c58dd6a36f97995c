"""Read replicas: plain SELECTs outside transactions go round-robin to the replica pools."""

from __future__ import annotations

from sqlalchemy import String, func, insert, literal_column, select

from tests.conftest import with_query
from tests.orm.engine_helpers import connected, items

APP = func.current_setting("application_name").label("app")


def with_app(url: str, name: str) -> str:
    return with_query(url, application_name=name)


async def test_reads_rotate_over_replicas_and_writes_stay_on_the_primary(
    schema_url: str,
) -> None:
    replicas = [with_app(schema_url, "replica-a"), with_app(schema_url, "replica-b")]
    async with connected(
        with_app(schema_url, "primary"), replica_urls=replicas, connection_limit=1
    ) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        reads = [(await ex.fetch(select(APP)))[0]["app"] for _ in range(4)]
        app_column = literal_column("current_setting('application_name')", String).label("app")
        written = await ex.fetch(insert(items).values(name="x").returning(app_column))
        locked = await ex.fetch(select(APP).select_from(items).with_for_update())
        raw = await db.query_first("SELECT current_setting('application_name') AS app")
        async with db.tx() as tx:
            tx_executor = tx._executor()  # pyright: ignore[reportPrivateUsage]
            in_tx = (await tx_executor.fetch(select(APP)))[0]["app"]
        metrics = (await db.get_metrics()).model_dump()
        pools = {g["labels"]["pool"] for g in metrics["gauges"] if "pool" in g["labels"]}
    assert reads == ["replica-a", "replica-b", "replica-a", "replica-b"]
    assert written[0]["app"] == "primary"
    assert locked[0]["app"] == "primary"
    assert raw == {"app": "primary"}
    assert in_tx == "primary"
    assert pools == {"primary", "replica0", "replica1"}
