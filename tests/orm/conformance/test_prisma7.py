"""What Prisma JS 7 has and prisma-client-py never got, against real PostgreSQL: bulk writes
that return rows, standalone aggregate(), Json path filters, nulls first/last, nested relation
updates, isolation levels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.orm.conformance.generated.client import Json, Prisma, errors


async def test_create_many_and_return(client: Prisma) -> None:
    users = await client.user.create_many_and_return(
        data=[{"name": "Robert", "email": "r@x.io"}, {"name": "Tegan"}]
    )
    assert [u.name for u in users] == ["Robert", "Tegan"]
    assert all(u.id for u in users)
    again = await client.user.create_many_and_return(
        data=[{"name": "Dup", "email": "r@x.io"}, {"name": "New", "email": "n@x.io"}],
        skip_duplicates=True,
    )
    assert [u.name for u in again] == ["New"]
    assert await client.user.create_many_and_return(data=[]) == []
    with pytest.raises(errors.UniqueViolationError):
        await client.user.create_many_and_return(data=[{"name": "x", "email": "n@x.io"}])


async def test_update_many_and_return(client: Prisma) -> None:
    await client.post.create_many(
        data=[
            {"title": "a", "published": False, "views": 1},
            {"title": "b", "published": False, "views": 2},
            {"title": "c", "published": True, "views": 3},
        ]
    )
    updated = await client.post.update_many_and_return(
        data={"published": True, "views": {"increment": 10}},
        where={"published": False},
    )
    assert sorted((p.title, p.views, p.published) for p in updated) == [
        ("a", 11, True),
        ("b", 12, True),
    ]
    assert await client.post.update_many_and_return(data={}, where={"title": "c"}) != []


async def test_standalone_aggregate(client: Prisma) -> None:
    for views in (1, 5, 9):
        await client.post.create({"title": f"p{views}", "published": views > 1, "views": views})
    result = await client.post.aggregate(
        count={"_all": True, "description": True},
        avg={"views": True},
        sum={"views": True},
        min={"views": True, "title": True},
        max={"views": True},
    )
    assert result == {
        "_count": {"_all": 3, "description": 0},
        "_avg": {"views": 5.0},
        "_sum": {"views": 15},
        "_min": {"views": 1, "title": "p1"},
        "_max": {"views": 9},
    }
    published = await client.post.aggregate(sum={"views": True}, where={"published": True})
    assert published == {"_sum": {"views": 14}}
    top_two = await client.post.aggregate(sum={"views": True}, order={"views": "desc"}, take=2)
    assert top_two == {"_sum": {"views": 14}}
    empty = await client.types.aggregate(avg={"decimal_": True}, min={"decimal_": True})
    assert empty == {"_avg": {"decimal_": None}, "_min": {"decimal_": None}}
    await client.types.create({"decimal_": Decimal("1.50")})
    assert (await client.types.aggregate(max={"decimal_": True})).get("_max") == {
        "decimal_": Decimal("1.5")
    }
    with pytest.raises(errors.InputError, match="needs at least one"):
        await client.post.aggregate()


async def test_json_path_filters(client: Prisma) -> None:
    documents: list[dict[str, object]] = [
        {"settings": {"theme": "dark"}, "name": "Ann Lee", "tags": ["a", "b"]},
        {"settings": {"theme": "light"}, "name": "bob", "tags": ["b", "c"]},
        {"settings": {}, "name": 7, "tags": "a"},
    ]
    for i, document in enumerate(documents):
        await client.types.create({"string": str(i), "json_obj": Json(document)})

    async def strings(where: dict[str, object]) -> list[str]:
        found = await client.types.find_many(where={"json_obj": where}, order={"string": "asc"})  # pyright: ignore[reportArgumentType]
        return [t.string for t in found]

    assert await strings({"path": ["settings", "theme"], "equals": Json("dark")}) == ["0"]
    assert await strings({"path": ["settings", "theme"], "not": Json("dark")}) == ["1"]
    assert await strings({"path": ["name"], "string_contains": "lee"}) == []
    assert await strings({"path": ["name"], "string_contains": "lee", "mode": "insensitive"}) == [
        "0"
    ]
    assert await strings({"path": ["name"], "string_starts_with": "b"}) == ["1"]
    assert await strings({"path": ["name"], "string_ends_with": "Lee"}) == ["0"]
    assert await strings({"path": ["tags"], "array_contains": "a"}) == ["0"]
    assert await strings({"path": ["tags"], "array_contains": ["b", "c"]}) == ["1"]
    assert await strings({"path": ["tags"], "array_starts_with": "b"}) == ["1"]
    assert await strings({"path": ["tags"], "array_ends_with": "b"}) == ["0"]
    assert await strings({"equals": Json(documents[2])}) == ["2"]
    with pytest.raises(errors.InputError, match="path"):
        await strings({"path": "settings", "equals": Json(1)})
    with pytest.raises(errors.InputError, match="not a Json filter"):
        await strings({"path": ["a"], "has": 1})


async def test_nulls_first_and_last(client: Prisma) -> None:
    for name, city in (("a", None), ("b", "Paris"), ("c", "Oslo")):
        user = await client.user.create({"name": name})
        await client.profile.create(
            {"bio": "", "country": "x", "city": city, "user": {"connect": {"id": user.id}}}
        )
    first = await client.profile.find_many(order={"city": {"sort": "asc", "nulls": "first"}})
    assert [p.city for p in first] == [None, "Oslo", "Paris"]
    last = await client.profile.find_many(order={"city": {"sort": "desc", "nulls": "last"}})
    assert [p.city for p in last] == ["Paris", "Oslo", None]


async def test_nested_relation_updates(client: Prisma) -> None:
    user = await client.user.create(
        {
            "name": "Robert",
            "posts": {
                "create": [
                    {"title": "a", "published": False},
                    {"title": "b", "published": False},
                    {"title": "c", "published": True},
                ]
            },
            "profile": {"create": {"bio": "hi", "country": "Scotland"}},
        }
    )
    posts = await client.post.find_many(order={"title": "asc"})
    updated = await client.user.update(
        where={"id": user.id},
        data={
            "posts": {
                "update": [{"where": {"id": posts[0].id}, "data": {"views": 5}}],
                "update_many": [{"where": {"published": False}, "data": {"description": "d"}}],
                "delete": [{"id": posts[2].id}],
                "upsert": [
                    {
                        "where": {"id": "missing"},
                        "create": {"title": "new", "published": True},
                        "update": {"title": "never"},
                    }
                ],
            },
            "profile": {"update": {"bio": "bye"}},
        },
        include={"posts": {"order_by": {"title": "asc"}}, "profile": True},
    )
    assert updated is not None
    assert updated.posts is not None
    assert [(p.title, p.views, p.description) for p in updated.posts] == [
        ("a", 5, "d"),
        ("b", 0, "d"),
        ("new", 0, None),
    ]
    assert updated.profile is not None
    assert updated.profile.bio == "bye"
    trimmed = await client.user.update(
        where={"id": user.id},
        data={"posts": {"delete_many": [{"description": "d"}]}},
        include={"posts": True},
    )
    assert trimmed is not None
    assert [p.title for p in trimmed.posts or []] == ["new"]


async def test_transaction_isolation_level(client: Prisma) -> None:
    async with client.tx(isolation_level="Serializable") as tx:
        level = await tx.query_first("SHOW transaction_isolation")
        await tx.user.create({"name": "x"})
    assert level == {"transaction_isolation": "serializable"}
    async with client.tx(isolation_level="RepeatableRead") as tx:
        assert await tx.query_first("SHOW transaction_isolation") == {
            "transaction_isolation": "repeatable read"
        }


async def test_omit_per_query_and_client_wide(client: Prisma, schema_url: str) -> None:
    user = await client.user.create({"name": "Robert", "email": "r@x.io"}, omit={"email": True})
    assert user.email is None
    assert "email" not in user.model_dump(exclude_unset=True)
    found = await client.user.find_unique_or_raise(where={"id": user.id})
    assert found.email == "r@x.io"
    many = await client.user.find_many(omit={"email": True, "created_at": True})
    assert [(u.email, u.created_at) for u in many] == [(None, None)]
    with pytest.raises(errors.FieldNotFoundError, match="omit"):
        await client.user.find_many(omit={"password": True})  # pyright: ignore[reportArgumentType]
    async with Prisma(datasource={"url": schema_url}, omit={"user": {"email": True}}) as scoped:
        hidden = await scoped.user.find_first_or_raise()
        assert hidden.email is None
        shown = await scoped.user.find_first_or_raise(omit={"email": False})
        assert shown.email == "r@x.io"
        updated = await scoped.user.update(where={"id": user.id}, data={"name": "T"})
        assert updated is not None
        assert updated.email is None
    with pytest.raises(errors.InputError, match="not a model"):
        Prisma(omit={"nobody": {"x": True}})
