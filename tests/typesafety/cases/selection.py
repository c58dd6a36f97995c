"""Type-level tests of `select`, relation `_count`, `relation_load_strategy` and the JSON output
mode on the generated ORM test client (see queries.py for how these files are checked)."""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import assert_type

from tests.orm.generated.client import Prisma, models, types


async def selections(db: Prisma) -> None:
    users = await db.account.find_many(
        select={
            "email": True,
            "posts": {"select": {"title": True}, "take": 5, "order_by": {"createdAt": "desc"}},
            "_count": {"select": {"posts": {"where": {"published": True}}, "comments": True}},
        },
        relation_load_strategy="join",
    )
    assert_type(users, list[models.User])
    assert_type(users[0].count_, types.UserRelationCount | None)
    one = await db.account.find_unique(
        where={"id": "u1"}, include={"_count": True}, relation_load_strategy="query"
    )
    assert_type(one, models.User | None)
    await db.post.find_first(include={"categories": {"select": {"name": True}}})
    await db.account.find_many(relation_load_strategy="lateral")  # pyright: ignore[reportArgumentType]
    await db.account.find_many(select={"nope": True})  # pyright: ignore[reportArgumentType]
    await db.account.find_many(select={"email": "renamed"})  # pyright: ignore[reportArgumentType]
    await db.account.find_many(include={"_count": {"select": {"profile": True}}})  # pyright: ignore[reportArgumentType]
    await db.profile.find_many(include={"_count": True})  # pyright: ignore[reportArgumentType]


async def json_output(db: Prisma) -> None:
    text = await db.account.find_many_json(
        select={"email": "mail", "posts": {"as": "writing", "select": {"title": True}}},
        take=20,
    )
    assert_type(text, str)
    assert_type(await db.account.find_unique_json(where={"id": "u1"}), str)
    assert_type(await db.post.find_first_json(select={"title": "t"}), str)
    await db.account.find_many_json(select={"email": 1})  # pyright: ignore[reportArgumentType]
