"""Repeat queries reuse SQL by the shape of their arguments: each call still gets its own rows,
whatever values, key orders, pages and includes it varies, and whichever shape came first."""

from __future__ import annotations

import pytest

from tests.orm.generated.client import Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import db, query_log

__all__ = ["db", "query_log"]


@pytest.fixture
async def people(db: Prisma) -> Prisma:
    for i, (first, last) in enumerate([("Ann", "Lee"), ("Bob", "Lee"), ("Ann", "Kim")]):
        user = await db.account.create(
            data={"email": f"{first.lower()}.{last.lower()}@x.test", "name": first, "age": 20 + i}
        )
        await db.person.create(data={"firstName": first, "lastName": last})
        for n in range(3):
            await db.post.create(data={"title": f"{first} {n}", "authorId": user.id, "views": n})
    return db


async def test_find_unique_by_each_key_returns_each_record(people: Prisma) -> None:
    for email in ["ann.lee@x.test", "bob.lee@x.test", "ann.kim@x.test", "nobody@x.test"]:
        found = await people.account.find_unique(where={"email": email})
        assert (found.email if found else None) == (None if email.startswith("no") else email)
    for first, last in [("Ann", "Kim"), ("Ann", "Lee"), ("Bob", "Kim")]:
        person = await people.person.find_unique(
            where={"name_surname": {"firstName": first, "lastName": last}}
        )
        assert (person.lastName if person else None) == (None if first == "Bob" else last)


async def test_find_many_varies_values_order_and_pages(people: Prisma) -> None:
    async def names(**args: object) -> list[str]:
        users = await people.account.find_many(**args)  # pyright: ignore[reportArgumentType]
        return [u.name or "" for u in users]

    assert await names(where={"name": "Ann", "age": 20}) == ["Ann"]
    assert await names(where={"age": 22, "name": "Ann"}) == ["Ann"]
    assert await names(where={"name": "Bob", "age": 20}) == []
    assert await names(order={"age": "asc"}, take=2) == ["Ann", "Bob"]
    assert await names(order={"age": "desc"}, take=2) == ["Ann", "Bob"]
    assert await names(order={"age": "asc"}, take=-2) == ["Bob", "Ann"]
    assert await names(order={"age": "asc"}, take=2, skip=1) == ["Bob", "Ann"]
    assert await names(order={"age": "asc"}, take=1, skip=2) == ["Ann"]
    assert await names(where={"age": 21}, take=21) == ["Bob"]  # equal values: built, not reused
    assert await names(where={"age": 21}, take=21) == ["Bob"]


async def test_find_many_filters_enums_and_includes_children_in_order(people: Prisma) -> None:
    await people.account.update_many(where={"name": "Bob"}, data={"role": Role.ADMIN})

    admins = await people.account.find_many(where={"role": Role.ADMIN}, include={"posts": True})
    users = await people.account.find_many(
        where={"role": Role.USER},
        order={"age": "asc"},
        include={"posts": {"order_by": {"views": "desc"}}},
    )
    again = await people.account.find_many(
        where={"role": Role.USER},
        order={"age": "desc"},
        include={"posts": {"order_by": {"views": "asc"}}},
    )

    assert [u.name for u in admins] == ["Bob"]
    assert sorted(p.title for p in admins[0].posts or []) == ["Bob 0", "Bob 1", "Bob 2"]
    assert [[p.views for p in u.posts or []] for u in users] == [[2, 1, 0], [2, 1, 0]]
    assert [u.age for u in users] == [20, 22]
    assert [[p.views for p in u.posts or []] for u in again] == [[0, 1, 2], [0, 1, 2]]
    assert [u.age for u in again] == [22, 20]


async def test_creates_vary_fields_nulls_and_values(db: Prisma) -> None:
    author = await db.account.create(data={"email": "a@x.test"})
    post = await db.post.create(data={"title": "t", "authorId": author.id})

    made = [
        await db.comment.create(data={"content": "one", "postId": post.id}),
        await db.comment.create(data={"content": "two", "postId": post.id, "authorId": None}),
        await db.comment.create(data={"postId": post.id, "content": "three"}),
        await db.comment.create(data={"content": "four", "postId": post.id, "authorId": author.id}),
        await db.comment.create(data={"content": post.id, "postId": post.id}),
    ]

    stored = await db.comment.find_many(order={"id": "asc"})
    assert [(c.content, c.authorId) for c in stored] == [
        ("one", None),
        ("two", None),
        ("three", None),
        ("four", author.id),
        (post.id, None),
    ]
    assert [c.id for c in made] == [c.id for c in stored]
