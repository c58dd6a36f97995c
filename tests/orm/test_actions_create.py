"""create / create_many through the generated client: defaults, every scalar type, bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from orm.runtime import errors
from tests.orm.generated.client import Base64, Json, Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]

CUID = re.compile(r"^c[0-9a-z]{24}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


async def test_create_fills_client_and_database_defaults(db: Prisma) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    user = await db.account.create(data={"email": "ann@example.com"})

    assert CUID.match(user.id)
    assert user.role is Role.USER
    assert (user.score, user.balance, user.views, user.active) == (0.0, Decimal("0.00"), 0, True)
    assert (user.tags, user.roles, user.luckyNums) == ([], [], [])
    assert user.name is None
    assert user.meta is None
    assert user.avatar is None
    assert user.createdAt.tzinfo is not None
    assert user.createdAt >= before
    assert user.updatedAt == user.createdAt

    post = await db.post.create(data={"title": "t", "author": {"connect": {"id": user.id}}})
    assert UUID.match(post.id)
    profile = await db.profile.create(data={"bio": "b", "userId": user.id})
    assert isinstance(profile.id, int)


async def test_every_scalar_type_round_trips(db: Prisma) -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=timezone(timedelta(hours=2)))
    created = await db.account.create(
        data={
            "email": "all@example.com",
            "name": "All Types",
            "role": Role.ADMIN,
            "age": 41,
            "score": 2.5,
            "balance": Decimal("12.34"),
            "views": 2**40,
            "active": False,
            "meta": Json({"nested": [1, "two", None], "ok": True}),
            "avatar": Base64.encode(b"\x00\x01binary"),
            "tags": ["a", "b"],
            "roles": [Role.EDITOR, Role.ADMIN],
            "luckyNums": [7, 13],
            "createdAt": when,
        }
    )
    found = await db.account.find_unique(where={"id": created.id})

    assert found is not None
    assert found.model_dump() == created.model_dump()
    assert found.role is Role.ADMIN
    assert found.meta == {"nested": [1, "two", None], "ok": True}
    assert found.avatar is not None
    assert found.avatar.decode() == b"\x00\x01binary"
    assert found.views == 2**40
    assert found.balance == Decimal("12.34")
    assert found.roles == [Role.EDITOR, Role.ADMIN]
    assert found.createdAt == when


async def test_json_string_and_list_values(db: Prisma) -> None:
    text = await db.account.create(data={"email": "s@example.com", "meta": Json("just text")})
    listed = await db.account.create(data={"email": "l@example.com", "meta": Json([1, 2])})

    assert text.meta == "just text"
    assert listed.meta == [1, 2]


async def test_create_many_inserts_all_rows_in_one_statement(
    db: Prisma, query_log: QueryLog
) -> None:
    count = await db.account.create_many(
        data=[{"email": "a@example.com", "age": 3}, {"email": "b@example.com"}]
    )

    assert count == 2
    assert query_log.count == 1
    ages = {u.email: u.age for u in await db.account.find_many()}
    assert ages == {"a@example.com": 3, "b@example.com": None}


async def test_create_many_skip_duplicates(db: Prisma) -> None:
    await db.account.create(data={"email": "dup@example.com"})

    count = await db.account.create_many(
        data=[{"email": "dup@example.com"}, {"email": "new@example.com"}], skip_duplicates=True
    )

    assert count == 1
    assert await db.account.count() == 2


async def test_create_many_without_skip_duplicates_raises_unique_violation(db: Prisma) -> None:
    await db.account.create(data={"email": "dup@example.com"})

    with pytest.raises(errors.UniqueViolationError):
        await db.account.create_many(data=[{"email": "dup@example.com"}])


async def test_missing_required_value_is_rejected_before_sql(
    db: Prisma, query_log: QueryLog
) -> None:
    with pytest.raises(errors.MissingRequiredValueError, match=r"User\.email"):
        await db.account.create(data={})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.MissingRequiredValueError, match=r"Post\.authorId.*author"):
        await db.post.create(data={"title": "orphan"})  # pyright: ignore[reportArgumentType]

    assert query_log.count == 0


async def test_unknown_field_is_rejected_before_sql(db: Prisma, query_log: QueryLog) -> None:
    with pytest.raises(errors.FieldNotFoundError, match="User has no field `nickname`") as info:
        await db.account.create(data={"email": "x@example.com", "nickname": "x"})  # pyright: ignore[reportArgumentType]

    assert (info.value.model, info.value.field) == ("User", "nickname")
    assert query_log.count == 0


async def test_wrong_value_type_names_model_and_field(db: Prisma, query_log: QueryLog) -> None:
    with pytest.raises(errors.InputError, match=r"User\.age expects an int") as info:
        await db.account.create(data={"email": "x@example.com", "age": "forty"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"User\.role expects one of the Role values"):
        await db.account.create(data={"email": "x@example.com", "role": "OWNER"})  # pyright: ignore[reportArgumentType]
    # None for a required field: prisma-client-py's MissingRequiredValueError, still before SQL
    with pytest.raises(errors.MissingRequiredValueError, match=r"User\.email is required"):
        await db.account.create(data={"email": None})  # pyright: ignore[reportArgumentType]

    assert info.value.field == "age"
    assert query_log.count == 0


async def test_nested_input_error_runs_no_sql(db: Prisma, query_log: QueryLog) -> None:
    with pytest.raises(errors.FieldNotFoundError, match="Post has no field `titel`"):
        await db.account.create(
            data={"email": "x@example.com", "posts": {"create": [{"titel": "typo"}]}}  # pyright: ignore[reportArgumentType]
        )

    assert query_log.count == 0
