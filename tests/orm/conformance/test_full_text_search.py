"""Full-text search on PostgreSQL (databases/tests/test_full_text_search.py): the `search` filter
in tsquery syntax, and ordering by `_relevance`."""

from __future__ import annotations

import pytest

from tests.orm.conformance.generated.client import Prisma, errors

TITLES = [
    "cats are great pets. dogs are loyal companions.",
    "cats are independent and mysterious animals.",
    "rabbits and hamsters are small and cute pets.",
]


async def _posts(client: Prisma) -> None:
    await client.post.create_many(data=[{"title": t, "published": True} for t in TITLES])


async def test_search_filter(client: Prisma) -> None:
    await _posts(client)
    either = await client.post.find_many(where={"title": {"search": "cats | dogs"}})
    assert sorted(p.title for p in either) == sorted(TITLES[:2])
    both = await client.post.find_many(where={"title": {"search": "cats & dogs"}})
    assert [p.title for p in both] == [TITLES[0]]
    without = await client.post.find_many(where={"title": {"search": "!dogs"}})
    assert sorted(p.title for p in without) == sorted(TITLES[1:])
    stemmed = await client.post.find_many(where={"title": {"search": "pet & cute"}})
    assert [p.title for p in stemmed] == [TITLES[2]]
    negated = await client.post.count(where={"title": {"not": {"search": "cats"}}})
    assert negated == 1


async def test_order_by_relevance(client: Prisma) -> None:
    await _posts(client)
    await client.post.update_many(
        where={"title": {"startswith": "rabbits"}}, data={"description": "pets pets pets"}
    )
    ranked = await client.post.find_many(
        order={"_relevance": {"fields": ["title", "description"], "search": "pets", "sort": "desc"}}
    )
    assert ranked[0].title == TITLES[2]
    assert ranked[-1].title == TITLES[1]  # no "pets" at all
    ascending = await client.post.find_many(
        order={"_relevance": {"fields": "title", "search": "cats & dogs", "sort": "asc"}}
    )
    assert ascending[-1].title == TITLES[0]


async def test_search_errors(client: Prisma) -> None:
    with pytest.raises(errors.FieldNotFoundError, match="search"):
        await client.post.find_many(where={"views": {"search": "x"}})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError, match="_relevance"):
        await client.post.find_many(
            order={"_relevance": {"fields": ["views"], "search": "x", "sort": "asc"}}  # pyright: ignore[reportArgumentType]
        )
