"""update / update_many / upsert / delete / delete_many through the generated client."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orm.runtime import errors
from tests.orm.generated.client import Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]


async def test_update_sets_values_and_bumps_updated_at(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@example.com", "name": "A"})

    updated = await db.account.update(
        where={"id": user.id}, data={"name": None, "role": Role.EDITOR}
    )

    assert updated is not None
    assert updated.name is None
    assert updated.role is Role.EDITOR
    assert updated.updatedAt > user.updatedAt
    assert updated.createdAt == user.createdAt


async def test_atomic_number_operations(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "n@example.com", "age": 10, "score": 3.0, "balance": Decimal("5.00")}
    )

    updated = await db.account.update(
        where={"email": "n@example.com"},
        data={
            "age": {"increment": 5},
            "score": {"multiply": 2},
            "balance": {"decrement": Decimal("1.25")},
            "views": {"increment": 3},
        },
    )
    divided = await db.account.update(where={"id": user.id}, data={"age": {"divide": 3}})

    assert updated is not None
    assert divided is not None
    assert (updated.age, updated.score, updated.balance, updated.views) == (
        15,
        6.0,
        Decimal("3.75"),
        3,
    )
    assert divided.age == 5


async def test_scalar_list_set_and_push(db: Prisma) -> None:
    user = await db.account.create(data={"email": "l@example.com", "tags": ["a"]})

    pushed = await db.account.update(where={"id": user.id}, data={"tags": {"push": "b"}})
    many = await db.account.update(where={"id": user.id}, data={"tags": {"push": ["c", "d"]}})
    reset = await db.account.update(
        where={"id": user.id}, data={"tags": {"set": ["z"]}, "luckyNums": [1, 2]}
    )

    assert pushed is not None
    assert many is not None
    assert reset is not None
    assert pushed.tags == ["a", "b"]
    assert many.tags == ["a", "b", "c", "d"]
    assert (reset.tags, reset.luckyNums) == (["z"], [1, 2])


async def test_update_of_missing_record_returns_none(db: Prisma) -> None:
    assert await db.account.update(where={"id": "nope"}, data={"name": "x"}) is None


async def test_update_bad_operator_is_rejected(db: Prisma, query_log: QueryLog) -> None:
    with pytest.raises(errors.InputError, match=r"`push` is not an update operation for User\.age"):
        await db.account.update(where={"id": "x"}, data={"age": {"push": 1}})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"User\.update needs a unique `where`"):
        await db.account.update(where={"name": "x"}, data={"age": 1})  # pyright: ignore[reportArgumentType]

    assert query_log.count == 0


async def test_update_many_and_delete_many_return_counts(db: Prisma) -> None:
    await db.account.create_many(
        data=[
            {"email": "a@example.com", "age": 1},
            {"email": "b@example.com", "age": 2},
            {"email": "c@example.com", "age": 30},
        ]
    )

    changed = await db.account.update_many(where={"age": {"lt": 10}}, data={"name": "young"})
    removed = await db.account.delete_many(where={"name": "young"})

    assert (changed, removed) == (2, 2)
    assert [u.email for u in await db.account.find_many()] == ["c@example.com"]
    assert await db.account.delete_many() == 1


async def test_upsert_creates_then_updates(db: Prisma) -> None:
    args = {
        "create": {"email": "u@example.com", "name": "created"},
        "update": {"name": "updated"},
    }
    first = await db.account.upsert(where={"email": "u@example.com"}, data=args)  # pyright: ignore[reportArgumentType]
    second = await db.account.upsert(where={"email": "u@example.com"}, data=args)  # pyright: ignore[reportArgumentType]

    assert first.name == "created"
    assert second.name == "updated"
    assert second.id == first.id
    assert await db.account.count() == 1


async def test_delete_returns_the_deleted_record_with_includes(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "d@example.com", "posts": {"create": [{"title": "p"}]}}
    )

    deleted = await db.account.delete(where={"id": user.id}, include={"posts": True})

    assert deleted is not None
    assert deleted.id == user.id
    assert deleted.posts is not None
    assert [p.title for p in deleted.posts] == ["p"]
    assert await db.post.count() == 0  # cascaded
    assert await db.account.delete(where={"id": user.id}) is None


async def test_update_returns_includes(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "i@example.com", "profile": {"create": {"bio": "b"}}}
    )

    updated = await db.account.update(
        where={"id": user.id}, data={"name": "N"}, include={"profile": True}
    )

    assert updated is not None
    assert updated.profile is not None
    assert updated.profile.bio == "b"


async def test_compound_unique_where(db: Prisma) -> None:
    await db.person.create(data={"firstName": "Ada", "lastName": "Lovelace"})
    team = await db.team.create(data={"name": "core", "slug": "c"})

    person = await db.person.update(
        where={"name_surname": {"firstName": "Ada", "lastName": "Lovelace"}},
        data={"lastName": "King"},
    )
    found = await db.team.find_unique(where={"name_slug": {"name": "core", "slug": "c"}})

    assert person is not None
    assert person.lastName == "King"
    assert found is not None
    assert found.id == team.id
