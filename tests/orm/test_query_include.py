"""include: nested to any depth, filtered and paginated per parent, one statement per level."""

from __future__ import annotations

from tests.orm.generated.client import Prisma
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]


async def _seed(db: Prisma, users: int, posts: int, comments: int) -> None:
    for u in range(users):
        await db.account.create(
            data={
                "email": f"u{u:03}@example.com",
                "posts": {
                    "create": [
                        {
                            "title": f"u{u:03}-p{p}",
                            "views": p,
                            "comments": {"create": [{"content": f"c{c}"} for c in range(comments)]},
                        }
                        for p in range(posts)
                    ]
                },
            }
        )


async def test_two_level_include_over_100_parents_is_three_statements(
    db: Prisma, query_log: QueryLog
) -> None:
    await _seed(db, 100, 2, 2)
    query_log.clear()

    users = await db.account.find_many(
        order={"email": "asc"}, include={"posts": {"include": {"comments": True}}}
    )

    assert query_log.count == 3
    assert len(users) == 100
    assert all(len(u.posts or []) == 2 for u in users)
    assert all(len(p.comments or []) == 2 for u in users for p in u.posts or [])
    assert users[5].posts is not None
    assert users[5].posts[0].authorId == users[5].id


async def test_per_parent_take_skip_where_and_order_in_one_statement(
    db: Prisma, query_log: QueryLog
) -> None:
    await _seed(db, 3, 5, 0)
    query_log.clear()

    users = await db.account.find_many(
        order={"email": "asc"},
        include={
            "posts": {
                "where": {"views": {"gte": 1}},
                "order_by": {"views": "desc"},
                "skip": 1,
                "take": 2,
            }
        },
    )

    assert query_log.count == 2
    assert [[p.views for p in u.posts or []] for u in users] == [[3, 2]] * 3


async def test_negative_take_in_include(db: Prisma) -> None:
    await _seed(db, 2, 4, 0)

    users = await db.account.find_many(
        order={"email": "asc"}, include={"posts": {"order_by": {"views": "asc"}, "take": -2}}
    )

    assert [[p.views for p in u.posts or []] for u in users] == [[2, 3], [2, 3]]


async def test_to_one_and_many_to_many_includes(db: Prisma, query_log: QueryLog) -> None:
    await db.post.create(
        data={
            "title": "p",
            "author": {"create": {"email": "a@example.com", "profile": {"create": {"bio": "b"}}}},
            "categories": {"create": [{"name": "x"}, {"name": "y"}]},
        }
    )
    await db.post.create(data={"title": "q", "author": {"connect": {"email": "a@example.com"}}})
    query_log.clear()

    posts = await db.post.find_many(
        order={"title": "asc"},
        include={
            "author": {"include": {"profile": True}},
            "categories": {"order_by": {"name": "desc"}},
        },
    )

    assert query_log.count == 4
    assert [p.author.email if p.author else None for p in posts] == ["a@example.com"] * 2
    assert posts[0].author is not None
    assert posts[0].author.profile is not None
    assert [c.name for c in posts[0].categories or []] == ["y", "x"]
    assert posts[1].categories == []


async def test_include_on_empty_result_runs_no_extra_statement(
    db: Prisma, query_log: QueryLog
) -> None:
    users = await db.account.find_many(include={"posts": True})

    assert users == []
    assert query_log.count == 1


async def test_include_false_is_ignored_and_missing_to_one_is_none(db: Prisma) -> None:
    await db.comment.create(
        data={
            "content": "c",
            "post": {"create": {"title": "p", "author": {"create": {"email": "e@x.io"}}}},
        }
    )

    [comment] = await db.comment.find_many(include={"author": True, "parent": True, "post": False})

    assert comment.author is None
    assert comment.parent is None
    assert comment.post is None


async def test_paginated_many_to_many_and_self_relation_includes(db: Prisma) -> None:
    for title in ("p1", "p2"):
        await db.post.create(
            data={
                "title": title,
                "author": {
                    "connect_or_create": {
                        "where": {"email": "a@x.io"},
                        "create": {"email": "a@x.io"},
                    }
                },
                "categories": {
                    "connect_or_create": [
                        {"where": {"name": n}, "create": {"name": n}} for n in ("a", "b", "c")
                    ]
                },
            }
        )
    root = await db.comment.create(
        data={
            "content": "root",
            "post": {"connect": {"id": (await db.post.find_first_or_raise()).id}},
        }
    )
    for i in range(3):
        await db.comment.create(
            data={"content": f"r{i}", "postId": root.postId, "parent": {"connect": {"id": root.id}}}
        )

    posts = await db.post.find_many(
        order={"title": "asc"},
        include={
            "categories": {
                "where": {"posts": {"some": {"title": "p2"}}},
                "order_by": {"name": "desc"},
                "take": 2,
            }
        },
    )
    [found] = await db.comment.find_many(
        where={"parentId": None},
        include={
            "replies": {"order_by": {"content": "desc"}, "skip": 1, "include": {"parent": True}}
        },
    )

    assert [[c.name for c in p.categories or []] for p in posts] == [["c", "b"], ["c", "b"]]
    assert [r.content for r in found.replies or []] == ["r1", "r0"]
    assert all(r.parent is not None and r.parent.id == root.id for r in found.replies or [])
