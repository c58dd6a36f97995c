"""Nested writes inside create/update for every relation kind, and their rollback on failure."""

from __future__ import annotations

import pytest

from orm.runtime import errors
from tests.orm.generated.client import Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]


async def test_create_with_one_to_one_one_to_many_and_implicit_many_to_many(db: Prisma) -> None:
    await db.category.create(data={"name": "existing"})

    user = await db.account.create(
        data={
            "email": "a@example.com",
            "profile": {"create": {"bio": "hello"}},
            "posts": {
                "create": [
                    {
                        "title": "first",
                        "categories": {
                            "create": [{"name": "new"}],
                            "connect": [{"name": "existing"}],
                        },
                    },
                    {"title": "second"},
                ]
            },
        },
        include={"profile": True, "posts": {"include": {"categories": True}}},
    )

    assert user.profile is not None
    assert user.profile.bio == "hello"
    assert user.posts is not None
    titles = {p.title: sorted(c.name for c in p.categories or []) for p in user.posts}
    assert titles == {"first": ["existing", "new"], "second": []}


async def test_create_connects_and_creates_the_owning_side(db: Prisma) -> None:
    author = await db.account.create(data={"email": "a@example.com"})

    post = await db.post.create(
        data={"title": "t", "author": {"connect": {"email": "a@example.com"}}},
        include={"author": True},
    )
    other = await db.post.create(
        data={"title": "u", "author": {"create": {"email": "new@example.com"}}},
        include={"author": True},
    )

    assert post.authorId == author.id
    assert post.author is not None
    assert post.author.email == "a@example.com"
    assert other.author is not None
    assert other.author.email == "new@example.com"


async def test_connect_or_create(db: Prisma) -> None:
    post = await db.account.create(
        data={"email": "a@example.com", "posts": {"create": [{"title": "p"}]}},
        include={"posts": True},
    )
    assert post.posts is not None
    post_id = post.posts[0].id

    for _ in range(2):
        await db.post.update(
            where={"id": post_id},
            data={
                "categories": {
                    "connect_or_create": [{"where": {"name": "c"}, "create": {"name": "c"}}]
                }
            },
        )

    assert await db.category.count() == 1
    found = await db.post.find_unique(where={"id": post_id}, include={"categories": True})
    assert found is not None
    assert [c.name for c in found.categories or []] == ["c"]


async def test_explicit_many_to_many_through_join_model(db: Prisma) -> None:
    team = await db.team.create(data={"name": "core", "slug": "core"})

    user = await db.account.create(
        data={
            "email": "a@example.com",
            "memberships": {"create": [{"role": Role.ADMIN, "team": {"connect": {"id": team.id}}}]},
        },
        include={"memberships": {"include": {"team": True}}},
    )

    assert user.memberships is not None
    [membership] = user.memberships
    assert membership.role is Role.ADMIN
    assert membership.team is not None
    assert membership.team.slug == "core"
    found = await db.membership.find_unique(
        where={"userId_teamId": {"userId": user.id, "teamId": team.id}}
    )
    assert found is not None


async def test_self_relations(db: Prisma) -> None:
    mentor = await db.person.create(data={"firstName": "Grace", "lastName": "Hopper"})
    mentee = await db.person.create(
        data={
            "firstName": "Ada",
            "lastName": "Lovelace",
            "mentor": {"connect": {"id": mentor.id}},
            "following": {"connect": [{"id": mentor.id}]},
        }
    )

    found = await db.person.find_unique(
        where={"id": mentor.id}, include={"mentee": True, "followers": True, "following": True}
    )

    assert found is not None
    assert found.mentee is not None
    assert found.mentee.id == mentee.id
    assert [p.id for p in found.followers or []] == [mentee.id]
    assert found.following == []


async def test_update_disconnect_set_delete_on_to_many(db: Prisma) -> None:
    post = await db.post.create(
        data={
            "title": "p",
            "author": {"create": {"email": "a@example.com"}},
            "categories": {"create": [{"name": "a"}, {"name": "b"}, {"name": "c"}]},
        }
    )

    await db.post.update(
        where={"id": post.id}, data={"categories": {"disconnect": [{"name": "a"}]}}
    )
    after_disconnect = await _category_names(db, post.id)
    await db.post.update(where={"id": post.id}, data={"categories": {"set": [{"name": "a"}]}})
    after_set = await _category_names(db, post.id)

    assert after_disconnect == ["b", "c"]
    assert after_set == ["a"]
    assert await db.category.count() == 3


async def _category_names(db: Prisma, post_id: str) -> list[str]:
    found = await db.post.find_unique(
        where={"id": post_id}, include={"categories": {"order_by": {"name": "asc"}}}
    )
    assert found is not None
    return [c.name for c in found.categories or []]


async def test_update_nested_update_upsert_update_many_delete_many(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "a@example.com", "posts": {"create": [{"title": "a"}, {"title": "b"}]}},
        include={"posts": {"order_by": {"title": "asc"}}},
    )
    assert user.posts is not None
    first, second = user.posts

    await db.account.update(
        where={"id": user.id},
        data={
            "posts": {
                "update": [{"where": {"id": first.id}, "data": {"title": "a2"}}],
                "upsert": [
                    {
                        "where": {"id": "missing"},
                        "create": {"title": "c"},
                        "update": {"title": "never"},
                    }
                ],
                "update_many": [{"where": {"title": {"startswith": "a"}}, "data": {"views": 5}}],
                "delete": [{"id": second.id}],
            }
        },
    )
    posts = await db.post.find_many(order={"title": "asc"})

    assert [(p.title, p.views) for p in posts] == [("a2", 5), ("c", 0)]
    await db.account.update(where={"id": user.id}, data={"posts": {"delete_many": [{}]}})
    assert await db.post.count() == 0


async def test_update_to_one_relations(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "a@example.com", "profile": {"create": {"bio": "x"}}}
    )
    comment = await db.comment.create(
        data={
            "content": "c",
            "post": {"create": {"title": "p", "author": {"connect": {"id": user.id}}}},
            "author": {"connect": {"id": user.id}},
        }
    )

    await db.account.update(where={"id": user.id}, data={"profile": {"update": {"bio": "y"}}})
    detached = await db.comment.update(
        where={"id": comment.id}, data={"author": {"disconnect": True}}
    )
    await db.account.update(where={"id": user.id}, data={"profile": {"delete": True}})

    assert detached is not None
    assert detached.authorId is None
    assert await db.profile.count() == 0


async def test_disconnect_of_required_relation_is_rejected(db: Prisma) -> None:
    with pytest.raises(errors.InputError, match=r"Post\.author: cannot `disconnect`"):
        await db.post.update(where={"id": "x"}, data={"author": {"disconnect": True}})  # pyright: ignore[reportArgumentType]


async def test_failed_nested_write_leaves_no_partial_rows(db: Prisma) -> None:
    await db.category.create(data={"name": "taken"})

    with pytest.raises(errors.UniqueViolationError):
        await db.account.create(
            data={
                "email": "a@example.com",
                "posts": {
                    "create": [{"title": "p", "categories": {"create": [{"name": "taken"}]}}]
                },
            }
        )

    assert await db.account.count() == 0
    assert await db.post.count() == 0


async def test_nested_connect_to_missing_record_raises_and_rolls_back(db: Prisma) -> None:
    with pytest.raises(errors.RecordNotFoundError, match="nested `connect`"):
        await db.account.create(
            data={"email": "a@example.com", "posts": {"connect": [{"id": "missing"}]}}
        )

    assert await db.account.count() == 0


async def test_connect_by_key_to_missing_record_is_record_not_found(db: Prisma) -> None:
    with pytest.raises(errors.RecordNotFoundError, match=r"nested `connect` on Post\.author"):
        await db.post.create(data={"title": "t", "author": {"connect": {"id": "missing"}}})

    assert await db.post.count() == 0


async def test_nested_writes_inside_an_interactive_transaction(db: Prisma) -> None:
    manager = db.tx()
    tx = await manager.start()
    await tx.account.create(data={"email": "a@example.com", "posts": {"create": [{"title": "p"}]}})
    seen_inside = await tx.post.count()
    await manager.rollback()

    assert seen_inside == 1
    assert await db.account.count() == 0
    assert await db.post.count() == 0


async def test_connect_by_key_is_a_single_statement(db: Prisma, query_log: QueryLog) -> None:
    first = await db.account.create(data={"email": "a@example.com"})
    second = await db.account.create(data={"email": "b@example.com"})
    query_log.clear()

    post = await db.post.create(data={"title": "t", "author": {"connect": {"id": first.id}}})
    moved = await db.post.update(
        where={"id": post.id}, data={"author": {"connect": {"id": second.id}}}
    )
    comment = await db.comment.create(
        data={"content": "c", "postId": post.id, "author": {"connect": {"id": first.id}}}
    )
    detached = await db.comment.update(
        where={"id": comment.id}, data={"author": {"disconnect": True}}
    )

    assert query_log.count == 4
    assert moved is not None
    assert moved.authorId == second.id
    assert detached is not None
    assert detached.authorId is None
    with pytest.raises(errors.RecordNotFoundError, match=r"nested `connect` on Post\.author"):
        await db.post.update(where={"id": post.id}, data={"author": {"connect": {"id": "nope"}}})


async def test_nested_create_of_flat_children_is_one_insert(
    db: Prisma, query_log: QueryLog
) -> None:
    user = await db.account.create(
        data={"email": "a@example.com", "posts": {"create": [{"title": f"p{i}"} for i in range(5)]}}
    )

    inserts = [e for e in query_log.events if e.sql.startswith("INSERT")]
    assert len(inserts) == 2
    assert await db.post.count(where={"authorId": user.id}) == 5
