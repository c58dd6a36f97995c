"""prisma-client-py's documented writes (docs/reference/operations.md, fields.md, model-actions)
adapted to the ORM test schema: return types, field types round-tripping, atomic and list updates.
"""

from __future__ import annotations

import asyncio
import datetime
from decimal import Decimal

from tests.orm.generated.client import Base64, Json, Prisma, models, types
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import db

__all__ = ["db"]

UTC = datetime.UTC


async def test_create_fills_defaults_and_returns_the_model(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    assert isinstance(user, models.User)
    assert user.id
    assert (user.role, user.score, user.balance, user.views, user.active) == (
        Role.USER,
        0.0,
        Decimal(0),
        0,
        True,
    )
    assert (user.tags, user.roles, user.luckyNums, user.name, user.meta) == ([], [], [], None, None)
    assert user.createdAt.tzinfo is not None
    assert user.createdAt.utcoffset() == datetime.timedelta(0)


async def test_create_many_returns_the_number_inserted(db: Prisma) -> None:
    created = await db.account.create_many(data=[{"email": "a@x.io"}, {"email": "b@x.io"}])
    assert created == 2
    again = await db.account.create_many(
        data=[{"email": "a@x.io"}, {"email": "c@x.io"}], skip_duplicates=True
    )
    assert again == 1
    assert await db.account.count() == 3


async def test_update_delete_return_the_record_or_none(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    updated = await db.account.update(where={"id": user.id}, data={"name": "Ann"})
    assert updated is not None
    assert updated.name == "Ann"
    assert await db.account.update(where={"email": "nobody@x.io"}, data={"name": "x"}) is None
    deleted = await db.account.delete(where={"email": "a@x.io"})
    assert deleted is not None
    assert deleted.id == user.id
    assert await db.account.delete(where={"email": "a@x.io"}) is None


async def test_update_many_and_delete_many_return_counts(db: Prisma) -> None:
    await db.account.create_many(data=[{"email": f"{i}@x.io", "age": i} for i in range(5)])
    changed = await db.account.update_many(where={"age": {"gte": 3}}, data={"role": Role.ADMIN})
    assert changed == 2
    assert await db.account.update_many(where={"age": {"gt": 99}}, data={"name": "x"}) == 0
    assert await db.account.delete_many(where={"role": Role.ADMIN}) == 2
    assert await db.account.delete_many() == 3


async def test_upsert_creates_then_updates(db: Prisma) -> None:
    first = await db.account.upsert(
        where={"email": "a@x.io"},
        data={"create": {"email": "a@x.io", "name": "created"}, "update": {"name": "updated"}},
    )
    assert first.name == "created"
    second = await db.account.upsert(
        where={"email": "a@x.io"},
        data={"create": {"email": "a@x.io", "name": "created"}, "update": {"name": "updated"}},
    )
    assert (second.id, second.name) == (first.id, "updated")
    assert await db.account.count() == 1


async def test_upsert_by_compound_key_with_atomic_update_and_include(db: Prisma) -> None:
    where: types.TeamWhereUniqueInput = {"name_slug": {"name": "core", "slug": "c"}}
    created = await db.team.upsert(
        where=where, data={"create": {"name": "core", "slug": "c"}, "update": {"slug": "c"}}
    )
    again = await db.team.upsert(
        where=where,
        data={"create": {"name": "core", "slug": "c"}, "update": {"slug": "moved"}},
        include={"members": True},
    )
    assert (again.id, again.slug, again.members) == (created.id, "moved", [])
    user = await db.account.upsert(
        where={"email": "a@x.io"},
        data={"create": {"email": "a@x.io", "views": 1}, "update": {"views": {"increment": 1}}},
    )
    user = await db.account.upsert(
        where={"email": "a@x.io"},
        data={"create": {"email": "a@x.io", "views": 1}, "update": {"views": {"increment": 1}}},
    )
    assert user.views == 2


async def test_concurrent_upserts_of_one_record_all_succeed(db: Prisma) -> None:
    async def bump() -> str:
        user = await db.account.upsert(
            where={"email": "a@x.io"},
            data={"create": {"email": "a@x.io"}, "update": {"views": {"increment": 1}}},
        )
        return user.id

    ids = await asyncio.gather(*(bump() for _ in range(6)))
    assert len(set(ids)) == 1
    assert (await db.account.find_unique_or_raise(where={"email": "a@x.io"})).views == 5


async def test_atomic_number_updates(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "a@x.io", "age": 10, "score": 1.5, "balance": Decimal("2.50"), "views": 7}
    )
    after = await db.account.update(
        where={"id": user.id},
        data={
            "age": {"increment": 5},
            "score": {"multiply": 2},
            "balance": {"decrement": Decimal("0.25")},
            "views": {"divide": 7},
        },
    )
    assert after is not None
    assert (after.age, after.score, after.balance, after.views) == (15, 3.0, Decimal("2.25"), 1)
    again = await db.account.update(where={"id": user.id}, data={"age": {"set": 1}})
    assert again is not None
    assert again.age == 1


async def test_scalar_list_set_and_push(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io", "tags": ["a"], "luckyNums": [7]})
    pushed = await db.account.update(
        where={"id": user.id},
        data={
            "tags": {"push": ["b", "c"]},
            "luckyNums": {"push": 8},
            "roles": {"set": [Role.ADMIN]},
        },
    )
    assert pushed is not None
    assert (pushed.tags, pushed.luckyNums, pushed.roles) == (["a", "b", "c"], [7, 8], [Role.ADMIN])
    reset = await db.account.update(where={"id": user.id}, data={"tags": {"set": []}})
    assert reset is not None
    assert reset.tags == []


async def test_json_round_trip_and_filter(db: Prisma) -> None:
    value = {"a": [1, 2.5, "x"], "b": {"c": None, "d": True}}
    user = await db.account.create(data={"email": "a@x.io", "meta": Json(value)})
    assert user.meta == value
    await db.account.create(data={"email": "b@x.io", "meta": Json(["list", 1])})
    await db.account.create(data={"email": "c@x.io", "meta": Json("just a string")})
    found = await db.account.find_many(where={"meta": {"equals": Json(value)}})
    assert [u.email for u in found] == ["a@x.io"]
    listed = await db.account.find_unique_or_raise(where={"email": "b@x.io"})
    assert listed.meta == ["list", 1]
    texted = await db.account.find_unique_or_raise(where={"email": "c@x.io"})
    assert texted.meta == "just a string"
    cleared = await db.account.update(where={"id": user.id}, data={"meta": Json({"k": 1})})
    assert cleared is not None
    assert cleared.meta == {"k": 1}


async def test_bytes_round_trip_as_base64(db: Prisma) -> None:
    raw = b"\x00\xffbinary\n"
    user = await db.account.create(data={"email": "a@x.io", "avatar": Base64.encode(raw)})
    assert isinstance(user.avatar, Base64)
    assert user.avatar.decode() == raw
    found = await db.account.find_unique_or_raise(where={"id": user.id})
    assert found.avatar == Base64.encode(raw)
    assert found.avatar is not None
    assert found.avatar.decode_str("latin-1") == raw.decode("latin-1")


async def test_decimal_and_bigint_keep_their_precision(db: Prisma) -> None:
    big = 2**62 + 1
    user = await db.account.create(
        data={"email": "a@x.io", "balance": Decimal("12345678.91"), "views": big}
    )
    found = await db.account.find_unique_or_raise(where={"id": user.id})
    assert found.balance == Decimal("12345678.91")
    assert isinstance(found.balance, Decimal)
    assert found.views == big
    assert await db.account.count(where={"views": {"gt": 2**62}}) == 1
    assert await db.account.count(where={"balance": {"gte": Decimal("12345678.91")}}) == 1


async def test_datetime_with_a_timezone_is_read_back_as_the_same_instant_in_utc(
    db: Prisma,
) -> None:
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    when = datetime.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=plus_two)
    user = await db.account.create(data={"email": "a@x.io", "createdAt": when})
    found = await db.account.find_unique_or_raise(where={"id": user.id})
    assert found.createdAt == when
    assert found.createdAt.utcoffset() == datetime.timedelta(0)
    assert found.createdAt.hour == 10
    naive_utc = datetime.datetime(2024, 5, 1, 10, 0, 0, 123000)
    assert await db.account.count(where={"createdAt": naive_utc}) == 1
    later = datetime.datetime(2024, 5, 1, 10, 0, 1, tzinfo=UTC)
    assert await db.account.count(where={"createdAt": {"lt": later}}) == 1


async def test_a_naive_datetime_is_taken_as_utc(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "a@x.io", "createdAt": datetime.datetime(2024, 1, 1, 8, 30)}
    )
    assert user.createdAt == datetime.datetime(2024, 1, 1, 8, 30, tzinfo=UTC)
    found = await db.account.find_unique_or_raise(where={"id": user.id})
    assert found.createdAt == datetime.datetime(2024, 1, 1, 8, 30, tzinfo=UTC)


async def test_datetime_is_stored_to_the_millisecond(db: Prisma) -> None:
    when = datetime.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    user = await db.account.create(data={"email": "a@x.io", "createdAt": when})
    found = await db.account.find_unique_or_raise(where={"id": user.id})
    assert found.createdAt == when.replace(microsecond=123000)


async def test_updated_at_is_set_on_create_and_update(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    changed = await db.account.update(where={"id": user.id}, data={"name": "x"})
    assert changed is not None
    assert changed.updatedAt >= user.updatedAt
    assert changed.updatedAt.tzinfo is not None
