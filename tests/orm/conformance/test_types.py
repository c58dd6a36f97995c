"""Scalar round trips as prisma-client-py's databases/tests/types check them: Decimal keeps the
stored scale without padding, DateTime is stored and matched at millisecond precision."""

from __future__ import annotations

import datetime
from decimal import Decimal, localcontext

from tests.orm.conformance.generated.client import Prisma


async def test_decimal_comes_back_as_written_not_padded_to_the_column_scale(client: Prisma) -> None:
    model = await client.types.create(data={"decimal_": Decimal(1)})
    assert model.decimal_ == Decimal(1)
    assert str((await client.types.find_unique_or_raise(where={"id": model.id})).decimal_) == "1"
    with localcontext() as ctx:
        ctx.prec = 16
        value = Decimal(1) / Decimal(7)
    model = await client.types.create(data={"decimal_": value})
    found = await client.types.find_unique_or_raise(where={"id": model.id})
    assert found.decimal_ == value
    assert str(found.decimal_) == "0.1428571428571429"


async def test_decimal_with_a_declared_scale_reads_its_value(client: Prisma) -> None:
    """`@db.Decimal(10, 2)` stores 1.50; Prisma reads Decimal("1.5"); big integers stay plain."""
    await client.types.create(data={"money": Decimal("1.5")})
    await client.types.create(data={"money": Decimal("1200")})
    found = await client.types.find_many(order={"money": "asc"})
    assert [str(t.money) for t in found] == ["1.5", "1200"]


async def test_decimal_filters(client: Prisma) -> None:
    async with client.batch_() as batcher:
        for value in (Decimal(1), Decimal("2.1234"), Decimal(3)):
            batcher.types.create({"decimal_": value})
    assert await client.types.count(where={"decimal_": Decimal(1)}) == 1
    found = await client.types.find_first(where={"decimal_": {"equals": Decimal("2.1234")}})
    assert found is not None
    assert str(found.decimal_) == "2.1234"
    lower = await client.types.find_many(where={"decimal_": {"lt": Decimal(2)}})
    assert [t.decimal_ for t in lower] == [Decimal(1)]
    assert await client.types.find_first(where={"decimal_": {"lte": Decimal("0.99999")}}) is None


async def test_datetime_is_matched_at_millisecond_precision(client: Prisma) -> None:
    """prisma-client-py issue #129: a datetime with microseconds finds the row written with it."""
    date = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    post = await client.post.create(data={"title": "first", "published": False, "created_at": date})
    assert post.created_at == date.replace(microsecond=123000)
    assert await client.post.find_first(where={"created_at": date}) is not None
    assert await client.post.find_first(where={"created_at": post.created_at}) is not None
    assert await client.post.count(where={"created_at": {"gte": date}}) == 1
    assert await client.post.count(where={"created_at": {"lte": date}}) == 1


async def test_datetime_filters_across_hours_and_time_zones(client: Prisma) -> None:
    now = datetime.datetime.now(datetime.UTC)
    async with client.batch_() as batcher:
        for i in range(10):
            batcher.types.create({"datetime_": now + datetime.timedelta(hours=i)})
    assert (
        await client.types.count(where={"datetime_": {"gte": now + datetime.timedelta(hours=5)}})
        == 5
    )
    found = await client.types.find_first(where={"datetime_": {"equals": now}})
    assert found is not None
    later = (found.datetime_ + datetime.timedelta(hours=1)).astimezone(datetime.timezone.max)
    assert await client.types.count(where={"datetime_": {"lt": later}}) == 1
    defaulted = await client.types.create(data={})
    assert defaulted.datetime_.microsecond % 1000 == 0
    assert await client.types.find_first(where={"datetime_": defaulted.datetime_}) is not None
