"""The client's surface as prisma-client-py's source and docs define it (`client.py.jinja`,
`_base_client.py`, `_raw_query.py`, `docs/reference/model-actions.md`, `metrics.md`): names,
constructor options, and the Python types raw queries and aggregates return.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import cast

import tests.orm.generated.client as package
from tests.orm.generated.client import Base64, Client, Prisma
from tests.orm.query_support import create_schema_tables, db

__all__ = ["db"]


def test_client_is_the_documented_alias_of_prisma() -> None:
    assert Client is Prisma
    assert "Client" in package.__all__


async def test_connect_accepts_seconds_and_timedeltas(db: Prisma) -> None:
    await db.disconnect()
    await db.connect(timeout=datetime.timedelta(seconds=5))
    assert db.is_connected()
    await db.disconnect(timeout=datetime.timedelta(seconds=1))
    await db.connect()


def test_constructor_takes_use_dotenv_and_http(schema_url: str) -> None:
    make = cast(Callable[..., Prisma], Prisma)
    make(datasource={"url": schema_url}, use_dotenv=False)
    make(datasource={"url": schema_url}, http={"timeout": 10})


async def test_is_registered_and_is_transaction(db: Prisma) -> None:
    assert getattr(db, "is_registered")() is False  # noqa: B009
    assert getattr(db, "is_transaction")() is False  # noqa: B009
    async with db.tx() as transaction:
        assert getattr(transaction, "is_transaction")() is True  # noqa: B009


async def test_batch_execute_raw(db: Prisma) -> None:
    await db.account.create(data={"email": "a@x.io", "age": 1})
    async with db.batch_() as batcher:
        getattr(batcher, "execute_raw")("UPDATE users SET age = $1", 2)  # noqa: B009
    assert (await db.account.find_unique_or_raise(where={"email": "a@x.io"})).age == 2


async def test_get_metrics_returns_an_object_with_counters(db: Prisma) -> None:
    await db.account.count()
    metrics: object = await db.get_metrics()
    counters = cast(list[object], getattr(metrics, "counters"))  # noqa: B009
    assert getattr(counters[0], "key") == "prisma_client_queries_total"  # noqa: B009


async def test_get_metrics_in_prometheus_format(db: Prisma) -> None:
    text = await db.get_metrics(format="prometheus")
    assert isinstance(text, str)


async def test_raw_dict_rows_hold_json_values(db: Prisma) -> None:
    await db.account.create(data={"email": "a@x.io", "avatar": Base64.encode(b"x")})
    row = await db.query_first("SELECT created_at, avatar, balance, views FROM users")
    assert row is not None
    assert isinstance(row["balance"], float)
    assert isinstance(row["views"], int)
    assert datetime.datetime.fromisoformat(row["created_at"]).utcoffset() == datetime.timedelta(0)
    assert row["avatar"] == "eA=="


async def test_native_raw_rows_keep_rich_python_types(pg_schema: str, schema_url: str) -> None:
    await create_schema_tables(pg_schema)
    async with Prisma(datasource={"url": schema_url}, raw_rows="native") as native:
        await native.account.create(data={"email": "a@x.io", "avatar": Base64.encode(b"x")})
        row = await native.query_first("SELECT created_at, avatar, balance FROM users")
    assert row is not None
    assert isinstance(row["balance"], Decimal)
    assert row["created_at"].utcoffset() == datetime.timedelta(0)
    assert row["avatar"] == Base64.encode(b"x")


async def test_group_by_sum_of_bigint_is_an_int(db: Prisma) -> None:
    await db.account.create_many(
        data=[{"email": "a@x.io", "views": 2**40}, {"email": "b@x.io", "views": 1}]
    )
    rows = await db.account.group_by(["active"], sum={"views": True})
    total = rows[0].get("_sum", {}).get("views")
    assert total == 2**40 + 1
    assert type(total) is int


async def test_a_record_with_bytes_serializes_to_json(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io", "avatar": Base64.encode(b"x")})
    assert json.loads(user.json())["avatar"] == "eA=="
    assert json.loads(user.model_dump_json())["avatar"] == "eA=="


def test_base64_fromb64_and_str() -> None:
    assert str(Base64.encode(b"x")) == "eA=="
    fromb64 = cast(Callable[[str], Base64], getattr(Base64, "fromb64"))  # noqa: B009
    assert fromb64("eA==").decode() == b"x"
