"""count and group_by; batches of writes queued through BatchActions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orm.runtime import errors
from tests.orm.generated.client import Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]


@pytest.fixture
async def users(db: Prisma) -> Prisma:
    await db.account.create_many(
        data=[
            {"email": "a@x.io", "role": Role.ADMIN, "age": 20, "balance": Decimal("1.50")},
            {"email": "b@x.io", "role": Role.ADMIN, "age": 40, "balance": Decimal("2.50")},
            {"email": "c@x.io", "role": Role.USER, "age": 30, "balance": Decimal("3.00")},
            {"email": "d@x.io", "role": Role.USER},
            {"email": "e@x.io", "role": Role.EDITOR, "age": 50},
        ]
    )
    return db


async def test_count(users: Prisma) -> None:
    db = users
    assert await db.account.count() == 5
    assert await db.account.count(where={"role": Role.ADMIN}) == 2
    assert await db.account.count(take=2, skip=1) == 2
    assert await db.account.count(select={"_all": True, "age": True}) == {"_all": 5, "age": 4}


async def test_group_by_with_aggregates_having_and_order(users: Prisma) -> None:
    db = users
    rows = await db.account.group_by(
        by=["role"],
        count=True,
        avg={"age": True},
        sum={"balance": True},
        min={"age": True},
        max={"age": True},
        order={"role": "asc"},
    )

    assert rows == [
        {
            "role": Role.USER,
            "_count": {"_all": 2},
            "_avg": {"age": 30.0},
            "_sum": {"balance": Decimal("3.00")},
            "_min": {"age": 30},
            "_max": {"age": 30},
        },
        {
            "role": Role.ADMIN,
            "_count": {"_all": 2},
            "_avg": {"age": 30.0},
            "_sum": {"balance": Decimal("4.00")},
            "_min": {"age": 20},
            "_max": {"age": 40},
        },
        {
            "role": Role.EDITOR,
            "_count": {"_all": 1},
            "_avg": {"age": 50.0},
            "_sum": {"balance": Decimal("0.00")},
            "_min": {"age": 50},
            "_max": {"age": 50},
        },
    ]


async def test_group_by_having_where_take(users: Prisma) -> None:
    db = users
    rows = await db.account.group_by(
        by=["role"],
        where={"age": {"not": None}},
        having={"age": {"_avg": {"gt": 25}}},
        count={"age": True},
        order={"role": "desc"},
        take=1,
    )

    assert rows == [{"role": Role.EDITOR, "_count": {"age": 1}}]


async def test_group_by_rejects_bad_fields(db: Prisma, query_log: QueryLog) -> None:
    with pytest.raises(errors.FieldNotFoundError):
        await db.account.group_by(by=["nope"])  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"User\.email is not a number"):
        await db.account.group_by(by=["role"], avg={"email": True})  # pyright: ignore[reportArgumentType]

    assert query_log.count == 0


async def test_batch_runs_queued_writes_in_one_transaction(db: Prisma) -> None:
    async with db.batch_() as batcher:
        batcher.account.create(data={"email": "a@x.io"})
        batcher.account.create_many(data=[{"email": "b@x.io"}, {"email": "c@x.io"}])
        batcher.account.update(where={"email": "a@x.io"}, data={"name": "A"})
        batcher.account.delete(where={"email": "c@x.io"})

    found = await db.account.find_many(order={"email": "asc"})
    assert [(u.email, u.name) for u in found] == [("a@x.io", "A"), ("b@x.io", None)]


async def test_failed_batch_writes_nothing(db: Prisma) -> None:
    batcher = db.batch_()
    batcher.account.create(data={"email": "a@x.io"})
    batcher.account.create(data={"email": "a@x.io"})

    with pytest.raises(errors.UniqueViolationError):
        await batcher.commit()

    assert await db.account.count() == 0


async def test_having_on_counts_mixed_filters_and_logic(users: Prisma) -> None:
    db = users
    rows = await db.account.group_by(
        by=["role"],
        count=True,
        having={
            "email": {"_count": {"gte": 2}},
            "OR": [{"age": {"_max": {"gt": 35}}}, {"role": Role.USER}],
        },
        order={"role": "asc"},
    )

    assert [(r.get("role"), r.get("_count")) for r in rows] == [
        (Role.USER, {"_all": 2}),
        (Role.ADMIN, {"_all": 2}),
    ]


async def test_group_by_order_by_aggregate(users: Prisma) -> None:
    db = users
    rows = await db.account.group_by(
        by=["role"],
        max={"age": True},
        order={"_max": {"age": "desc"}},  # pyright: ignore[reportArgumentType]
    )

    assert [r.get("role") for r in rows] == [Role.EDITOR, Role.ADMIN, Role.USER]
