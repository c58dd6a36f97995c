"""`omit` and partial types leave columns out of the SELECT itself (Prisma 7 reads only what the
result holds), keeping only the keys a query needs (an include's join key, the id)."""

from __future__ import annotations

from orm.runtime import QueryEvent
from tests.orm.conformance.generated.client import Prisma
from tests.orm.conformance.generated.client.partials import PostOnlyPublished, UserOnlyName


def _selects(events: list[QueryEvent]) -> list[str]:
    return [e.sql for e in events if e.sql.lstrip().upper().startswith("SELECT")]


async def test_omitted_columns_are_not_selected(client: Prisma) -> None:
    user = await client.user.create({"name": "Robert", "email": "r@x.io"})
    events: list[QueryEvent] = []
    client.add_query_listener(events.append)
    for _ in range(2):  # the second run reuses the cached statement: still without the column
        many = await client.user.find_many(omit={"email": True})
        assert [(u.name, u.email) for u in many] == [("Robert", None)]
        one = await client.user.find_unique_or_raise(where={"id": user.id}, omit={"email": True})
        assert (one.name, one.email) == ("Robert", None)
        first = await client.user.find_first_or_raise(
            where={"name": "Robert"}, omit={"email": True}
        )
        assert first.email is None
    assert len(_selects(events)) == 6
    assert all("email" not in sql for sql in _selects(events))
    events.clear()
    full = await client.user.find_unique_or_raise(where={"id": user.id})
    assert full.email == "r@x.io"
    assert "email" in _selects(events)[0]


async def test_omitted_key_of_an_include_is_read_then_hidden(client: Prisma) -> None:
    user = await client.user.create(
        {"name": "Robert", "posts": {"create": [{"title": "a", "published": True}]}}
    )
    events: list[QueryEvent] = []
    client.add_query_listener(events.append)
    found = await client.user.find_unique_or_raise(
        where={"id": user.id}, include={"posts": True}, omit={"id": True, "email": True}
    )
    assert "id" not in found.model_fields_set  # read for the include, then hidden
    assert found.posts is not None
    assert [p.title for p in found.posts] == ["a"]
    assert "email" not in _selects(events)[0]
    posts = await client.post.find_many(omit={"author_id": True}, include={"author": True})
    assert posts[0].author_id is None
    assert posts[0].author is not None
    assert posts[0].author.name == "Robert"


async def test_partial_types_select_their_fields_only(client: Prisma) -> None:
    await client.post.create({"title": "secret title", "published": True, "description": "d"})
    events: list[QueryEvent] = []
    client.add_query_listener(events.append)
    [post] = await PostOnlyPublished.prisma(client).find_many()
    assert post.published is True
    [sql] = _selects(events)
    assert "title" not in sql
    assert "description" not in sql
    events.clear()
    await client.user.create({"name": "Robert"})
    events.clear()
    [user] = await UserOnlyName.prisma(client).find_many()
    assert user.model_dump() == {"name": "Robert"}
    assert "created_at" not in _selects(events)[0]
