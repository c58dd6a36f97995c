"""Every scalar filter, list filters, AND/OR/NOT and relation filters against real rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orm.runtime import errors
from tests.orm.generated.client import Base64, Json, Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.generated.client.types import UserWhereInput
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]

JAN = datetime(2024, 1, 1, tzinfo=UTC)
JUN = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
async def people(db: Prisma) -> Prisma:
    await db.account.create(
        data={
            "email": "ann@example.com",
            "name": "Ann_100%",
            "age": 30,
            "score": 1.5,
            "balance": Decimal("10.50"),
            "views": 10,
            "role": Role.ADMIN,
            "meta": Json({"a": 1}),
            "avatar": Base64.encode(b"ann"),
            "tags": ["x", "y"],
            "roles": [Role.ADMIN],
            "createdAt": JAN,
        }
    )
    await db.account.create(
        data={
            "email": "BOB@example.com",
            "name": "bob",
            "age": 40,
            "score": 2.5,
            "balance": Decimal("20.00"),
            "views": 2**35,
            "active": False,
            "tags": ["y"],
            "createdAt": JUN,
        }
    )
    await db.account.create(data={"email": "cy@example.org", "createdAt": JUN})
    return db


async def emails(db: Prisma, where: UserWhereInput) -> list[str]:
    return sorted(u.email for u in await db.account.find_many(where=where))


async def test_string_filters(people: Prisma) -> None:
    db = people
    assert await emails(db, {"email": "bob@example.com"}) == []
    assert await emails(db, {"email": {"equals": "bob@example.com", "mode": "insensitive"}}) == [
        "BOB@example.com"
    ]
    assert await emails(db, {"email": {"contains": "example.com"}}) == [
        "BOB@example.com",
        "ann@example.com",
    ]
    assert await emails(db, {"email": {"startswith": "b", "mode": "insensitive"}}) == [
        "BOB@example.com"
    ]
    assert await emails(db, {"email": {"endswith": ".org"}}) == ["cy@example.org"]
    assert await emails(db, {"name": {"contains": "_100%"}}) == ["ann@example.com"]
    assert await emails(db, {"name": {"contains": "n_1%"}}) == []
    assert await emails(db, {"email": {"in": ["cy@example.org", "zz"]}}) == ["cy@example.org"]
    assert await emails(db, {"email": {"not_in": ["cy@example.org"]}}) == [
        "BOB@example.com",
        "ann@example.com",
    ]
    assert await emails(db, {"email": {"in": ["bob@example.com"], "mode": "insensitive"}}) == [
        "BOB@example.com"
    ]
    assert await emails(db, {"email": {"in": []}}) == []
    assert await emails(db, {"email": {"gt": "ann@example.com"}}) == ["cy@example.org"]


async def test_null_and_not(people: Prisma) -> None:
    db = people
    assert await emails(db, {"name": None}) == ["cy@example.org"]
    assert await emails(db, {"name": {"not": None}}) == ["BOB@example.com", "ann@example.com"]
    assert await emails(db, {"name": {"not": "bob"}}) == ["ann@example.com"]
    assert await emails(db, {"name": {"not": {"contains": "bo"}}}) == ["ann@example.com"]


async def test_number_filters(people: Prisma) -> None:
    db = people
    assert await emails(db, {"age": {"gte": 30, "lt": 40}}) == ["ann@example.com"]
    assert await emails(db, {"age": {"lte": 40, "gt": 30}}) == ["BOB@example.com"]
    assert await emails(db, {"score": {"gt": 2.0}}) == ["BOB@example.com"]
    assert await emails(db, {"balance": {"gte": Decimal("20")}}) == ["BOB@example.com"]
    assert await emails(db, {"views": {"gt": 2**32}}) == ["BOB@example.com"]
    assert await emails(db, {"age": {"in": [30, 40], "not": 40}}) == ["ann@example.com"]


async def test_boolean_enum_datetime_json_bytes_filters(people: Prisma) -> None:
    db = people
    assert await emails(db, {"active": False}) == ["BOB@example.com"]
    assert await emails(db, {"active": {"not": False}}) == ["ann@example.com", "cy@example.org"]
    assert await emails(db, {"role": Role.ADMIN}) == ["ann@example.com"]
    assert await emails(db, {"role": {"in": [Role.USER]}}) == ["BOB@example.com", "cy@example.org"]
    assert await emails(db, {"createdAt": {"lt": JUN}}) == ["ann@example.com"]
    assert await emails(db, {"createdAt": JUN}) == ["BOB@example.com", "cy@example.org"]
    assert await emails(db, {"meta": {"equals": Json({"a": 1})}}) == ["ann@example.com"]
    assert await emails(db, {"avatar": Base64.encode(b"ann")}) == ["ann@example.com"]


async def test_scalar_list_filters(people: Prisma) -> None:
    db = people
    assert await emails(db, {"tags": {"has": "x"}}) == ["ann@example.com"]
    assert await emails(db, {"tags": {"has_some": ["x", "y"]}}) == [
        "BOB@example.com",
        "ann@example.com",
    ]
    assert await emails(db, {"tags": {"has_every": ["x", "y"]}}) == ["ann@example.com"]
    # cy was created without tags: a NULL list (read as []), which is_empty doesn't match
    assert await emails(db, {"tags": {"is_empty": True}}) == []
    assert await emails(db, {"tags": {"equals": None}}) == ["cy@example.org"]
    assert await emails(db, {"tags": {"equals": ["y"]}}) == ["BOB@example.com"]
    assert await emails(db, {"roles": {"has": Role.ADMIN}}) == ["ann@example.com"]


async def test_and_or_not(people: Prisma) -> None:
    db = people
    assert await emails(db, {"OR": [{"age": 30}, {"age": 40}], "NOT": {"name": "bob"}}) == [
        "ann@example.com"
    ]
    assert await emails(db, {"AND": [{"age": {"gt": 1}}, {"active": True}]}) == ["ann@example.com"]
    assert await emails(db, {"NOT": [{"age": None}, {"active": False}]}) == ["ann@example.com"]
    assert await emails(db, {"OR": []}) == []


async def test_relation_filters(db: Prisma) -> None:
    await db.account.create(
        data={
            "email": "writer@example.com",
            "posts": {
                "create": [
                    {"title": "pub", "published": True, "categories": {"create": [{"name": "x"}]}},
                    {"title": "draft"},
                ]
            },
            "profile": {"create": {"bio": "hi"}},
        }
    )
    await db.account.create(
        data={"email": "pub@example.com", "posts": {"create": [{"title": "p", "published": True}]}}
    )
    await db.account.create(data={"email": "none@example.com"})

    assert await emails(db, {"posts": {"some": {"published": False}}}) == ["writer@example.com"]
    assert await emails(db, {"posts": {"every": {"published": True}}}) == [
        "none@example.com",
        "pub@example.com",
    ]
    assert await emails(db, {"posts": {"none": {}}}) == ["none@example.com"]
    assert await emails(db, {"posts": {"some": {"categories": {"some": {"name": "x"}}}}}) == [
        "writer@example.com"
    ]
    assert await emails(db, {"profile": {"is": {"bio": "hi"}}}) == ["writer@example.com"]
    assert await emails(db, {"profile": {"is_not": None}}) == ["writer@example.com"]
    assert await emails(db, {"profile": {"is": None}}) == ["none@example.com", "pub@example.com"]
    posts = await db.post.find_many(where={"author": {"is": {"email": {"startswith": "pub"}}}})
    assert [p.title for p in posts] == ["p"]


async def test_bad_filters_are_rejected_before_sql(db: Prisma, query_log: QueryLog) -> None:
    with pytest.raises(errors.FieldNotFoundError, match="User has no field `nmae` in where"):
        await db.account.find_many(where={"nmae": "x"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"`contains` is not a filter for User\.age"):
        await db.account.find_many(where={"age": {"contains": "x"}})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"User\.age expects an int"):
        await db.account.find_many(where={"age": {"gt": "x"}})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"User\.posts is a relation"):
        await db.account.find_many(where={"posts": {"is": {}}})  # pyright: ignore[reportArgumentType]

    assert query_log.count == 0
