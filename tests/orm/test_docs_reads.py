"""prisma-client-py's documented reads (docs/reference/operations.md, filtering.md, ordering.md,
pagination.md, relations.md), adapted to the ORM test schema: parameters and return types."""

from __future__ import annotations

import datetime
from typing import cast

import pytest

from tests.orm.generated.client import Prisma, models, types
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import db

__all__ = ["db"]


@pytest.fixture
async def people(db: Prisma) -> Prisma:
    """Five users (a..e), with posts and comments, for the read examples."""
    rows: list[tuple[str, str | None, Role, int | None, list[str]]] = [
        ("a@x.io", "Alice", Role.ADMIN, 20, ["red", "blue"]),
        ("b@x.io", "bob", Role.ADMIN, 40, ["blue"]),
        ("c@x.io", "Carol", Role.USER, 30, []),
        ("d@x.io", None, Role.USER, None, ["green"]),
        ("e@x.io", "ALICIA", Role.EDITOR, 50, ["red"]),
    ]
    for email, name, role, age, tags in rows:
        await db.account.create(
            data={"email": email, "name": name, "role": role, "age": age, "tags": tags}
        )
    a = await db.account.find_unique_or_raise(where={"email": "a@x.io"})
    b = await db.account.find_unique_or_raise(where={"email": "b@x.io"})
    for i, views in enumerate([5, 10, 15]):
        await db.post.create(
            data={
                "title": f"a{i}",
                "views": views,
                "published": i != 1,
                "author": {"connect": {"id": a.id}},
                "comments": {
                    "create": [{"content": f"a{i}c{c}", "authorId": b.id} for c in range(i)]
                },
            }
        )
    await db.post.create(data={"title": "b0", "views": 1, "published": False, "authorId": b.id})
    return db


def emails(users: list[models.User]) -> list[str]:
    return [u.email for u in users]


async def test_find_unique_and_or_raise(people: Prisma) -> None:
    db = people
    found = await db.account.find_unique(where={"email": "a@x.io"})
    assert isinstance(found, models.User)
    assert found.name == "Alice"
    assert found.posts is None  # relations are None unless included
    assert await db.account.find_unique(where={"email": "zz@x.io"}) is None
    assert (await db.account.find_unique_or_raise(where={"id": found.id})).id == found.id


async def test_find_first_with_order_skip_and_cursor(people: Prisma) -> None:
    db = people
    first = await db.account.find_first(where={"role": Role.ADMIN}, order={"email": "desc"})
    assert first is not None
    assert first.email == "b@x.io"
    second = await db.account.find_first(order={"email": "asc"}, skip=1)
    assert second is not None
    assert second.email == "b@x.io"
    after_c = await db.account.find_first(
        cursor={"email": "c@x.io"}, skip=1, order={"email": "asc"}
    )
    assert after_c is not None
    assert after_c.email == "d@x.io"
    assert await db.account.find_first(where={"age": {"gt": 100}}) is None


async def test_find_many_take_skip_and_cursor_pages(people: Prisma) -> None:
    db = people
    page = await db.account.find_many(take=2, skip=1, order={"email": "asc"})
    assert emails(page) == ["b@x.io", "c@x.io"]
    nxt = await db.account.find_many(
        take=2, skip=1, cursor={"email": page[-1].email}, order={"email": "asc"}
    )
    assert emails(nxt) == ["d@x.io", "e@x.io"]


async def test_negative_take_reads_backwards_from_the_cursor_in_the_requested_order(
    people: Prisma,
) -> None:
    db = people
    last_two = await db.account.find_many(take=-2, order={"email": "asc"})
    assert emails(last_two) == ["d@x.io", "e@x.io"]
    before_d = await db.account.find_many(
        take=-2, skip=1, cursor={"email": "d@x.io"}, order={"email": "asc"}
    )
    assert emails(before_d) == ["b@x.io", "c@x.io"]


async def test_distinct(people: Prisma) -> None:
    db = people
    users = await db.account.find_many(distinct=["role"], order={"role": "asc"})
    assert sorted(u.role for u in users) == sorted([Role.ADMIN, Role.USER, Role.EDITOR])
    assert len(users) == 3
    # the first record per value in the requested order, then skip/take over the distinct rows
    newest = await db.account.find_many(distinct=["role"], order={"email": "desc"})
    assert emails(newest) == ["e@x.io", "d@x.io", "b@x.io"]
    paged = await db.account.find_many(distinct=["role"], order={"email": "asc"}, skip=1, take=1)
    assert emails(paged) == ["c@x.io"]


async def test_order_by_list_of_fields(people: Prisma) -> None:
    db = people
    users = await db.account.find_many(order=[{"role": "desc"}, {"email": "desc"}])
    assert emails(users) == ["e@x.io", "b@x.io", "a@x.io", "d@x.io", "c@x.io"]


async def test_string_filters_and_insensitive_mode(people: Prisma) -> None:
    db = people
    found = await db.account.find_many(
        where={"name": {"startswith": "ali", "mode": "insensitive"}}, order={"email": "asc"}
    )
    assert emails(found) == ["a@x.io", "e@x.io"]
    assert emails(await db.account.find_many(where={"name": {"contains": "li"}})) == ["a@x.io"]
    exact = await db.account.find_many(where={"name": {"equals": "BOB", "mode": "insensitive"}})
    assert emails(exact) == ["b@x.io"]
    ends = await db.account.find_many(where={"name": {"endswith": "ol"}})
    assert emails(ends) == ["c@x.io"]
    assert len(await db.account.find_many(where={"email": {"in": ["a@x.io", "b@x.io"]}})) == 2
    assert len(await db.account.find_many(where={"email": {"not_in": ["a@x.io"]}})) == 4


async def test_null_not_and_or_not_list(people: Prisma) -> None:
    db = people
    assert emails(await db.account.find_many(where={"name": None})) == ["d@x.io"]
    assert len(await db.account.find_many(where={"name": {"not": None}})) == 4
    either = await db.account.find_many(
        where={"OR": [{"age": {"lt": 25}}, {"age": {"gt": 45}}]}, order={"email": "asc"}
    )
    assert emails(either) == ["a@x.io", "e@x.io"]
    both = await db.account.find_many(where={"AND": [{"role": Role.ADMIN}, {"age": {"gte": 30}}]})
    assert emails(both) == ["b@x.io"]
    neither = await db.account.find_many(
        where={"NOT": [{"role": Role.ADMIN}, {"age": None}]}, order={"email": "asc"}
    )
    assert emails(neither) == ["c@x.io", "e@x.io"]


async def test_scalar_list_filters(people: Prisma) -> None:
    db = people

    async def match(where: types.UserWhereInput) -> list[str]:
        return emails(await db.account.find_many(where=where, order={"email": "asc"}))

    assert await match({"tags": {"has": "red"}}) == ["a@x.io", "e@x.io"]
    assert await match({"tags": {"has_every": ["red", "blue"]}}) == ["a@x.io"]
    assert await match({"tags": {"has_some": ["green", "blue"]}}) == ["a@x.io", "b@x.io", "d@x.io"]
    assert await match({"tags": {"is_empty": True}}) == ["c@x.io"]
    assert await match({"tags": {"equals": ["blue"]}}) == ["b@x.io"]


async def test_relation_filters_some_every_none_is_is_not(people: Prisma) -> None:
    db = people
    some = await db.account.find_many(where={"posts": {"some": {"views": {"gt": 12}}}})
    assert emails(some) == ["a@x.io"]
    every = await db.account.find_many(
        where={"posts": {"every": {"published": True}}}, order={"email": "asc"}
    )
    # every is vacuously true for users without posts
    assert emails(every) == ["c@x.io", "d@x.io", "e@x.io"]
    none = await db.account.find_many(
        where={"posts": {"none": {"published": False}}}, order={"email": "asc"}
    )
    assert emails(none) == ["c@x.io", "d@x.io", "e@x.io"]
    by_author = await db.post.find_many(where={"author": {"is": {"email": "b@x.io"}}})
    assert [p.title for p in by_author] == ["b0"]
    not_author = await db.post.find_many(
        where={"author": {"is_not": {"email": "b@x.io"}}}, order={"title": "asc"}
    )
    assert [p.title for p in not_author] == ["a0", "a1", "a2"]
    orphan_free = await db.comment.find_many(where={"author": {"is_not": None}})
    assert len(orphan_free) == 3


async def test_include_with_where_order_take_skip_and_nesting(people: Prisma) -> None:
    db = people
    user = await db.account.find_unique_or_raise(
        where={"email": "a@x.io"},
        include={
            "posts": {
                "where": {"views": {"gte": 5}},
                "order_by": {"views": "desc"},
                "take": 2,
                "skip": 0,
                "include": {"comments": {"order_by": {"content": "asc"}, "take": 1}},
            },
            "profile": True,
        },
    )
    assert user.profile is None
    assert user.posts is not None
    assert [p.title for p in user.posts] == ["a2", "a1"]
    assert [[c.content for c in p.comments or []] for p in user.posts] == [["a2c0"], ["a1c0"]]
    skipped = await db.account.find_unique_or_raise(
        where={"email": "a@x.io"}, include={"posts": {"order_by": {"views": "asc"}, "skip": 2}}
    )
    assert [p.title for p in skipped.posts or []] == ["a2"]
    bare = await db.account.find_unique_or_raise(where={"email": "c@x.io"}, include={"posts": True})
    assert bare.posts == []


async def test_count_int_and_select_dict(people: Prisma) -> None:
    db = people
    total = await db.account.count()
    assert total == 5
    assert isinstance(total, int)
    assert await db.account.count(where={"role": Role.ADMIN}) == 2
    assert await db.account.count(take=10, skip=3) == 2
    counts = await db.account.count(select={"_all": True, "name": True, "age": True})
    assert counts == {"_all": 5, "name": 4, "age": 4}


async def test_group_by_shapes(people: Prisma) -> None:
    db = people
    rows = await db.account.group_by(
        ["role"],
        count=True,
        avg={"age": True},
        sum={"age": True},
        min={"age": True, "email": True},
        max={"age": True},
        order={"role": "asc"},
    )
    assert [r.get("role") for r in rows] == [Role.USER, Role.ADMIN, Role.EDITOR]
    user_row = rows[0]
    assert user_row.get("_count") == {"_all": 2}
    assert user_row.get("_avg") == {"age": 30.0}
    assert user_row.get("_sum") == {"age": 30}
    assert user_row.get("_min") == {"age": 30, "email": "c@x.io"}
    assert user_row.get("_max") == {"age": 30}


async def test_group_by_count_fields_where_having_and_take(people: Prisma) -> None:
    db = people
    rows = await db.account.group_by(
        ["role"],
        where={"email": {"not": "e@x.io"}},
        count={"_all": True, "age": True},
        having={"age": {"_avg": {"gt": 25}}},
        order={"role": "desc"},
        take=5,
    )
    assert rows == [
        {"role": Role.ADMIN, "_count": {"_all": 2, "age": 2}},
        {"role": Role.USER, "_count": {"_all": 2, "age": 1}},
    ]


async def test_group_by_requires_order_with_take_or_skip(people: Prisma) -> None:
    db = people
    with pytest.raises(TypeError, match="order"):
        await db.account.group_by(["role"], take=1)
    with pytest.raises(TypeError, match="order"):
        await db.account.group_by(["role"], skip=1)


async def test_include_with_a_cursor(people: Prisma) -> None:
    db = people
    a1 = await db.post.find_first_or_raise(where={"title": "a1"})
    args = cast(types.FindManyPostArgs, {"cursor": {"id": a1.id}, "order_by": {"views": "asc"}})
    user = await db.account.find_unique_or_raise(where={"email": "a@x.io"}, include={"posts": args})
    assert [p.title for p in user.posts or []] == ["a1", "a2"]


async def test_group_by_datetime_aggregates_are_utc_aware(people: Prisma) -> None:
    db = people
    rows = await db.account.group_by(["active"], max={"createdAt": True}, min={"createdAt": True})
    newest = rows[0].get("_max", {}).get("createdAt")
    assert newest is not None
    assert newest.utcoffset() == datetime.timedelta(0)
