"""Type-level tests of writes on the generated ORM test client (see queries.py for how)."""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import assert_type

from tests.orm.generated.client import Base64, Json, Prisma, models


async def creates(db: Prisma) -> None:
    user = await db.account.create(
        data={
            "email": "a@example.com",
            "meta": Json({"theme": "dark"}),
            "avatar": Base64.encode(b"png"),
            "tags": ["a"],
            "profile": {"create": {"bio": "hi"}},
            "posts": {
                "create": [{"title": "first"}, {"title": "second"}],
                "connect_or_create": {"where": {"id": "p1"}, "create": {"title": "third"}},
            },
        },
        include={"posts": True},
    )
    assert_type(user, models.User)
    await db.post.create(data={"title": "t", "author": {"connect": {"id": "u1"}}})
    await db.post.create(data={"title": "t", "authorId": "u1"})
    await db.account.create(data={"name": "no email"})  # pyright: ignore[reportArgumentType]
    await db.account.create(data={"email": "a", "meta": {"raw": 1}})  # pyright: ignore[reportArgumentType]
    await db.account.create(data={"email": "a", "avatar": b"raw"})  # pyright: ignore[reportArgumentType]
    assert_type(await db.post.create_many(data=[{"title": "a", "authorId": "u1"}]), int)
    await db.post.create_many(data=[{"title": "a", "author": {}}])  # pyright: ignore[reportArgumentType]


async def updates(db: Prisma) -> None:
    updated = await db.account.update(
        where={"email": "a@example.com"},
        data={
            "views": {"increment": 1},
            "score": {"multiply": 2.0},
            "age": None,
            "tags": {"push": ["b"]},
            "luckyNums": [1, 2],
            "posts": {
                "update": {"where": {"id": "p1"}, "data": {"title": "new"}},
                "update_many": [{"where": {"published": False}, "data": {"views": 0}}],
                "delete_many": {"views": {"lt": 1}},
                "disconnect": [{"id": "p2"}],
                "set": [{"id": "p3"}],
            },
            "profile": {"upsert": {"create": {"bio": "b"}, "update": {"bio": "c"}}},
        },
    )
    assert_type(updated, models.User | None)
    await db.account.update(where={"id": "u"}, data={"views": {"increment": "1"}})  # pyright: ignore[reportArgumentType]
    await db.account.update(where={"id": "u"}, data={"tags": {"append": ["x"]}})  # pyright: ignore[reportArgumentType]
    assert_type(await db.post.update_many(data={"published": True}, where={}), int)
    await db.post.update_many(data={"author": {}}, where={})  # pyright: ignore[reportArgumentType]
    upserted = await db.person.upsert(
        where={"name_surname": {"firstName": "A", "lastName": "B"}},
        data={"create": {"firstName": "A", "lastName": "B"}, "update": {"mentorId": None}},
    )
    assert_type(upserted, models.Person)
    await db.person.upsert(where={"id": 1}, data={"create": {"firstName": "A"}, "update": {}})  # pyright: ignore[reportArgumentType]
    assert_type(await db.comment.delete(where={"id": 1}), models.Comment | None)
    assert_type(await db.comment.delete_many(where={"postId": "p"}), int)


async def transactions_and_batches(db: Prisma) -> None:
    async with db.tx() as tx:
        assert_type(tx, Prisma)
        await tx.account.find_many()
    async with db.batch_() as batcher:
        batcher.account.create(data={"email": "b@example.com"})
        batcher.post.delete_many(where={"published": False})
        batcher.account.create(data={})  # pyright: ignore[reportArgumentType]
