"""Nested writes of each kind prisma-client-py documents (docs/reference/relations.md and the
generated `*CreateNested*` / `*Update*WithoutRelationsInput` types) on 1-1, 1-n, implicit and
explicit m-n, and self-relations."""

from __future__ import annotations

from tests.orm.generated.client import Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.query_support import db

__all__ = ["db"]


async def test_create_with_nested_create_create_many_and_include(db: Prisma) -> None:
    user = await db.account.create(
        data={
            "email": "a@x.io",
            "profile": {"create": {"bio": "hi"}},
            "posts": {
                "create": [{"title": "p1"}, {"title": "p2"}],
                "create_many": {"data": [{"title": "p3"}, {"title": "p4"}]},
            },
        },
        include={"profile": True, "posts": {"order_by": {"title": "asc"}}},
    )
    assert user.profile is not None
    assert user.profile.bio == "hi"
    assert [p.title for p in user.posts or []] == ["p1", "p2", "p3", "p4"]


async def test_connect_and_connect_or_create(db: Prisma) -> None:
    author = await db.account.create(data={"email": "a@x.io"})
    await db.category.create(data={"name": "news"})
    post = await db.post.create(
        data={
            "title": "t",
            "author": {"connect": {"email": "a@x.io"}},
            "categories": {
                "connect_or_create": [
                    {"where": {"name": "news"}, "create": {"name": "news"}},
                    {"where": {"name": "tech"}, "create": {"name": "tech"}},
                ]
            },
        },
        include={"categories": {"order_by": {"name": "asc"}}, "author": True},
    )
    assert post.author is not None
    assert post.author.id == author.id
    assert [c.name for c in post.categories or []] == ["news", "tech"]
    assert await db.category.count() == 2


async def test_to_many_set_disconnect_delete_update_update_many_delete_many_upsert(
    db: Prisma,
) -> None:
    user = await db.account.create(
        data={"email": "a@x.io", "posts": {"create": [{"title": f"p{i}"} for i in range(5)]}}
    )
    posts = await db.post.find_many(order={"title": "asc"})
    cats = [await db.category.create(data={"name": n}) for n in ("a", "b", "c")]
    post = posts[0]
    await db.post.update(
        where={"id": post.id}, data={"categories": {"connect": [{"id": c.id} for c in cats]}}
    )
    after_set = await db.post.update(
        where={"id": post.id},
        data={"categories": {"set": [{"id": cats[2].id}]}},
        include={"categories": True},
    )
    assert after_set is not None
    assert [c.name for c in after_set.categories or []] == ["c"]
    after_disconnect = await db.post.update(
        where={"id": post.id},
        data={"categories": {"disconnect": [{"id": cats[2].id}]}},
        include={"categories": True},
    )
    assert after_disconnect is not None
    assert after_disconnect.categories == []

    changed = await db.account.update(
        where={"id": user.id},
        data={
            "posts": {
                "delete": [{"id": posts[1].id}],
                "update": [{"where": {"id": posts[2].id}, "data": {"title": "renamed"}}],
                "update_many": [{"where": {"title": {"in": ["p3", "p4"]}}, "data": {"views": 9}}],
                "upsert": [
                    {
                        "where": {"id": "missing"},
                        "create": {"title": "upserted"},
                        "update": {"title": "never"},
                    }
                ],
            }
        },
        include={"posts": {"order_by": {"title": "asc"}}},
    )
    assert changed is not None
    titles = [(p.title, p.views) for p in changed.posts or []]
    assert titles == [("p0", 0), ("p3", 9), ("p4", 9), ("renamed", 0), ("upserted", 0)]
    pruned = await db.account.update(
        where={"id": user.id},
        data={"posts": {"delete_many": [{"views": 9}]}},
        include={"posts": True},
    )
    assert pruned is not None
    assert len(pruned.posts or []) == 3


async def test_to_one_update_upsert_disconnect_and_delete(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    upserted = await db.account.update(
        where={"id": user.id},
        data={"profile": {"upsert": {"create": {"bio": "new"}, "update": {"bio": "old"}}}},
        include={"profile": True},
    )
    assert upserted is not None
    assert upserted.profile is not None
    assert upserted.profile.bio == "new"
    updated = await db.account.update(
        where={"id": user.id},
        data={"profile": {"update": {"bio": "edited"}}},
        include={"profile": True},
    )
    assert updated is not None
    assert updated.profile is not None
    assert updated.profile.bio == "edited"
    deleted = await db.account.update(
        where={"id": user.id}, data={"profile": {"delete": True}}, include={"profile": True}
    )
    assert deleted is not None
    assert deleted.profile is None
    assert await db.profile.count() == 0

    post = await db.post.create(data={"title": "t", "authorId": user.id})
    comment = await db.comment.create(
        data={
            "content": "c",
            "post": {"connect": {"id": post.id}},
            "author": {"connect": {"id": user.id}},
        }
    )
    detached = await db.comment.update(
        where={"id": comment.id}, data={"author": {"disconnect": True}}, include={"author": True}
    )
    assert detached is not None
    assert (detached.authorId, detached.author) == (None, None)


async def test_explicit_many_to_many_and_compound_keys(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    team = await db.team.create(
        data={
            "name": "core",
            "slug": "c",
            "members": {"create": [{"userId": user.id, "role": Role.ADMIN}]},
        }
    )
    member = await db.membership.find_unique(
        where={"userId_teamId": {"userId": user.id, "teamId": team.id}}, include={"team": True}
    )
    assert member is not None
    assert member.role == Role.ADMIN
    assert member.team is not None
    assert member.team.name == "core"
    by_name = await db.team.find_unique(where={"name_slug": {"name": "core", "slug": "c"}})
    assert by_name is not None
    assert by_name.id == team.id


async def test_self_relations(db: Prisma) -> None:
    mentor = await db.person.create(data={"firstName": "Ada", "lastName": "L"})
    mentee = await db.person.create(
        data={
            "firstName": "Bob",
            "lastName": "B",
            "mentor": {"connect": {"id": mentor.id}},
            "following": {"connect": [{"id": mentor.id}]},
        }
    )
    ada = await db.person.find_unique_or_raise(
        where={"name_surname": {"firstName": "Ada", "lastName": "L"}},
        include={"mentee": True, "followers": True},
    )
    assert ada.mentee is not None
    assert ada.mentee.id == mentee.id
    assert [p.id for p in ada.followers or []] == [mentee.id]


async def test_include_and_filters_across_implicit_many_to_many(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    cats = [await db.category.create(data={"name": n}) for n in "abcd"]
    await db.post.create(
        data={
            "title": "p1",
            "authorId": user.id,
            "categories": {"connect": [{"id": c.id} for c in cats]},
        }
    )
    await db.post.create(
        data={
            "title": "p2",
            "authorId": user.id,
            "categories": {"connect": [{"id": c.id} for c in cats[:2]]},
        }
    )
    posts = await db.post.find_many(
        order={"title": "asc"},
        include={
            "categories": {
                "where": {"name": {"not": "a"}},
                "order_by": {"name": "desc"},
                "skip": 1,
                "take": 2,
            }
        },
    )
    assert [[c.name for c in p.categories or []] for p in posts] == [["c", "b"], []]
    latest = await db.category.find_many(
        order={"name": "asc"}, include={"posts": {"order_by": {"title": "desc"}, "take": 1}}
    )
    assert [[p.title for p in c.posts or []] for c in latest] == [["p2"], ["p2"], ["p1"], ["p1"]]
    only_p1 = await db.category.find_many(
        where={"posts": {"every": {"title": "p1"}}}, order={"name": "asc"}
    )
    assert [c.name for c in only_p1] == ["c", "d"]
