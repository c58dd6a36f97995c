"""Type-level tests of queries on the generated ORM test client.

Checked by pyright (tests/typesafety/test_pyright.py and `make typecheck`): every line that must
NOT type-check carries `# pyright: ignore[<rule>]`, and an unnecessary ignore is itself an error,
so each such line proves the mistake is caught. Never run, only checked.
"""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import datetime
import decimal
from typing import assert_type

from tests.orm.generated.client import Prisma, enums, models, types


async def reads(db: Prisma) -> None:
    assert_type(await db.account.find_many(), list[models.User])
    assert_type(await db.account.find_unique(where={"id": "u1"}), models.User | None)
    assert_type(await db.account.find_unique_or_raise(where={"email": "a@b.c"}), models.User)
    assert_type(await db.post.find_first(where={"title": "x"}), models.Post | None)
    assert_type(await db.post.find_first_or_raise(skip=1), models.Post)
    await db.user.find_many()  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    await db.account.find_unique(where={"name": "not unique"})  # pyright: ignore[reportArgumentType]
    await db.account.find_many(where={"nope": 1})  # pyright: ignore[reportArgumentType]
    await db.account.find_many(where={"email": 1})  # pyright: ignore[reportArgumentType]


async def filters(db: Prisma) -> None:
    await db.account.find_many(
        where={
            "email": {"contains": "@example.com", "mode": "insensitive"},
            "name": None,
            "age": {"gte": 18, "not": None},
            "role": enums.Role.ADMIN,
            "createdAt": {"lt": datetime.datetime(2024, 1, 1)},
            "balance": {"gt": decimal.Decimal("1.50")},
            "tags": {"has_some": ["a", "b"]},
            "roles": {"has": enums.Role.EDITOR},
            "luckyNums": {"is_empty": False},
            "OR": [{"active": True}, {"score": {"lt": 0.5}}],
            "NOT": {"views": {"in": [1, 2]}},
        }
    )
    await db.account.find_many(where={"email": {"mode": "loud"}})  # pyright: ignore[reportArgumentType]
    await db.account.find_many(where={"tags": {"has": 1}})  # pyright: ignore[reportArgumentType]
    await db.account.find_many(where={"role": "OWNER"})  # pyright: ignore[reportArgumentType]


async def relation_filters(db: Prisma) -> None:
    await db.account.find_many(where={"posts": {"some": {"published": True}}})
    await db.account.find_many(where={"posts": {"every": {"views": {"gt": 1}}, "none": {}}})
    await db.post.find_many(where={"author": {"is": {"email": "a@b.c"}}})
    await db.post.find_many(where={"author": {"is_not": {"active": False}}})
    await db.comment.find_many(where={"author": None})
    await db.account.find_many(where={"posts": {"any": {}}})  # pyright: ignore[reportArgumentType]


async def unique_keys(db: Prisma) -> None:
    await db.membership.find_unique(where={"userId_teamId": {"userId": "u1", "teamId": 1}})
    await db.person.find_unique(where={"name_surname": {"firstName": "A", "lastName": "B"}})
    await db.team.find_unique(where={"name_slug": {"name": "A", "slug": "a"}})
    await db.membership.find_unique(where={"userId_teamId": {"userId": "u1"}})  # pyright: ignore[reportArgumentType]
    await db.membership.find_unique(where={"userId": "u1"})  # pyright: ignore[reportArgumentType]


async def order_include_count(db: Prisma) -> None:
    await db.post.find_many(order={"createdAt": "desc"}, take=10, distinct=["authorId"])
    await db.post.find_many(order=[{"views": "desc"}, {"id": "asc"}])
    await db.post.find_many(order={"body": {"sort": "asc", "nulls": "last"}})
    await db.post.find_many(order={"views": "up"})  # pyright: ignore[reportArgumentType]
    await db.post.find_many(order={"title": {"sort": "asc"}})  # pyright: ignore[reportArgumentType]
    await db.post.find_many(distinct=["nope"])  # pyright: ignore[reportArgumentType]
    await db.account.find_many(
        include={
            "profile": True,
            "posts": {
                "where": {"published": True},
                "order_by": {"createdAt": "desc"},
                "take": 5,
                "include": {"comments": {"include": {"replies": True}}},
            },
        }
    )
    await db.account.find_many(include={"nope": True})  # pyright: ignore[reportArgumentType]
    assert_type(await db.post.count(), int)
    assert_type(await db.post.count(select={"_all": True}), types.PostCountAggregateOutput)
    rows = await db.post.group_by(["authorId"], count=True, sum={"views": True})
    assert_type(rows, list[types.PostGroupByOutput])
    await db.post.group_by(["nope"])  # pyright: ignore[reportArgumentType]


async def active_record(user: models.User) -> None:
    assert_type(await models.User.prisma().find_many(), list[models.User])
    async with Prisma().tx() as tx:
        assert_type(await models.Post.prisma(tx).find_first(), models.Post | None)
    assert_type(user.balance, decimal.Decimal)
    assert_type(user.posts, list[models.Post] | None)
    assert_type(user.role, enums.Role)
    user.nope  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]  # noqa: B018
