"""Ordering beyond scalars (Prisma's orderBy, prisma-client-py #65): by a to-one relation's
field at any depth, by a to-many relation's `_count`, with `nulls`, in includes and with cursors."""

from __future__ import annotations

import pytest

from tests.orm.conformance.generated.client import Prisma, errors


async def _authors(client: Prisma) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name, city, posts in (("Bea", "Oslo", 1), ("Al", None, 3), ("Cy", "Bern", 0)):
        user = await client.user.create({"name": name})
        ids[name] = user.id
        if city is not None:
            await client.profile.create(
                {"user": {"connect": {"id": user.id}}, "bio": "", "country": "x", "city": city}
            )
        for i in range(posts):
            await client.post.create(
                {"title": f"{name}{i}", "published": True, "author": {"connect": {"id": user.id}}}
            )
    await client.post.create({"title": "orphan", "published": False})
    return ids


async def test_order_by_a_to_one_relation_field(client: Prisma) -> None:
    await _authors(client)
    posts = await client.post.find_many(order=[{"author": {"name": "asc"}}, {"title": "asc"}])
    assert [p.title for p in posts] == ["Al0", "Al1", "Al2", "Bea0", "orphan"]
    posts = await client.post.find_many(order=[{"author": {"name": "desc"}}, {"title": "desc"}])
    assert [p.title for p in posts] == ["orphan", "Bea0", "Al2", "Al1", "Al0"]  # NULL first


async def test_order_by_a_nested_relation(client: Prisma) -> None:
    await _authors(client)
    posts = await client.post.find_many(
        where={"author": {"is_not": None}},
        order=[
            {"author": {"profile": {"city": {"sort": "asc", "nulls": "first"}}}},
            {"title": "asc"},
        ],
    )
    assert [p.title for p in posts] == ["Al0", "Al1", "Al2", "Bea0"]


async def test_order_by_relation_count(client: Prisma) -> None:
    await _authors(client)
    users = await client.user.find_many(order={"posts": {"_count": "desc"}})
    assert [u.name for u in users] == ["Al", "Bea", "Cy"]
    users = await client.user.find_many(order={"posts": {"_count": "asc"}}, take=2)
    assert [u.name for u in users] == ["Cy", "Bea"]


async def test_relation_order_inside_include_and_with_cursor(client: Prisma) -> None:
    ids = await _authors(client)
    categories = await client.category.create({"name": "all"})
    for post in await client.post.find_many():
        await client.post.update(
            where={"id": post.id}, data={"categories": {"connect": [{"id": categories.id}]}}
        )
    found = await client.category.find_unique_or_raise(
        where={"id": categories.id},
        include={
            "posts": {"order_by": [{"author": {"name": "desc"}}, {"title": "asc"}], "take": 3}
        },
    )
    assert found.posts is not None
    assert [p.title for p in found.posts] == [
        "orphan",
        "Bea0",
        "Al0",
    ]  # PostgreSQL: NULLs first in DESC
    users = await client.user.find_many(
        order={"posts": {"_count": "desc"}}, cursor={"id": ids["Bea"]}
    )
    assert [u.name for u in users] == ["Bea", "Cy"]


async def test_relation_order_errors(client: Prisma) -> None:
    with pytest.raises(errors.InputError, match="_count"):
        await client.user.find_many(order={"posts": "asc"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match="_count"):
        await client.user.find_many(order={"posts": {"name": "asc"}})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError):
        await client.post.find_many(order={"author": {"nope": "asc"}})  # pyright: ignore[reportArgumentType]
