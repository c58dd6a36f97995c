"""Reads as prisma-client-py's databases/tests check them: count(select=...) answers a dict per
field, distinct inside include (test_include.py, test_count.py)."""

from __future__ import annotations

from tests.orm.conformance.generated.client import Prisma


async def test_count_select_answers_a_dict(client: Prisma) -> None:
    async with client.batch_() as batcher:
        batcher.post.create({"title": "Foo", "published": False})
        batcher.post.create({"title": "Foo 2", "published": False, "description": "A"})
    assert await client.post.count() == 2
    assert await client.post.count(select={}) == {"_all": 2}
    assert await client.post.count(select={"description": True}) == {"description": 1}
    assert await client.post.count(select={"_all": True, "description": True}) == {
        "_all": 2,
        "description": 1,
    }


async def test_distinct_inside_include(client: Prisma) -> None:
    user = await client.user.create(
        data={
            "name": "Robert",
            "posts": {
                "create": [
                    {"title": "Foo", "published": True, "views": 1},
                    {"title": "Foo", "published": False, "views": 2},
                    {"title": "Bar", "published": True, "views": 3},
                ]
            },
        }
    )
    found = await client.user.find_unique_or_raise(
        where={"id": user.id},
        include={"posts": {"distinct": ["title"], "order_by": {"views": "asc"}}},
    )
    assert found.posts is not None
    assert sorted((p.title, p.views) for p in found.posts) == [("Bar", 3), ("Foo", 1)]
    by_two = await client.user.find_unique_or_raise(
        where={"id": user.id}, include={"posts": {"distinct": ["title", "published"]}}
    )
    assert by_two.posts is not None
    assert len(by_two.posts) == 3
