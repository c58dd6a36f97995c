"""upsert: by one unique key it is one `INSERT ... ON CONFLICT DO UPDATE`, so concurrent upserts
of the same record all succeed; other upserts keep update-then-insert in a transaction."""

from __future__ import annotations

import asyncio

from tests.orm.generated.client import Prisma
from tests.orm.generated.client.types import UserUpsertInput
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]


def _counting(email: str) -> UserUpsertInput:
    return {"create": {"email": email, "views": 1}, "update": {"views": {"increment": 1}}}


async def test_concurrent_upserts_of_one_key_all_succeed(schema_url: str, db: Prisma) -> None:
    client = Prisma(datasource={"url": schema_url}, connection_limit=8)
    await client.connect()
    try:
        results = await asyncio.gather(
            *(
                client.account.upsert(where={"email": "race@x.test"}, data=_counting("race@x.test"))
                for _ in range(24)
            )
        )
    finally:
        await client.disconnect()

    users = await db.account.find_many()
    assert [(u.email, u.views) for u in users] == [("race@x.test", 24)]
    assert sorted(r.views for r in results) == list(range(1, 25))
    assert {r.id for r in results} == {users[0].id}


async def test_one_statement_by_a_unique_field_or_compound_key(
    db: Prisma, query_log: QueryLog
) -> None:
    created = await db.account.upsert(where={"email": "u@x.test"}, data=_counting("u@x.test"))
    updated = await db.account.upsert(where={"email": "u@x.test"}, data=_counting("u@x.test"))
    team = await db.team.upsert(
        where={"name_slug": {"name": "A", "slug": "a"}},
        data={"create": {"name": "A", "slug": "a"}, "update": {}},
    )
    same = await db.team.upsert(
        where={"name_slug": {"name": "A", "slug": "a"}},
        data={"create": {"name": "A", "slug": "a"}, "update": {}},
    )

    assert (created.views, updated.views, updated.id) == (1, 2, created.id)
    assert (same.id, same.name, same.slug) == (team.id, "A", "a")
    assert [("ON CONFLICT" in e.sql, e.action) for e in query_log.events] == [(True, "upsert")] * 4


async def test_other_upserts_update_or_insert_in_a_transaction(
    db: Prisma, query_log: QueryLog
) -> None:
    user = await db.account.create(data={"email": "a@x.test"})
    query_log.clear()

    by_id = await db.account.upsert(
        where={"id": user.id},
        data={"create": {"email": "other@x.test"}, "update": {"name": "by id"}},
    )
    other_key = await db.account.upsert(
        where={"email": "new@x.test"},
        data={"create": {"email": "made@x.test"}, "update": {"name": "unused"}},
    )
    nested = await db.account.upsert(
        where={"email": "a@x.test"},
        data={"create": {"email": "a@x.test"}, "update": {"posts": {"create": [{"title": "p"}]}}},
        include={"posts": True},
    )

    assert (by_id.id, by_id.name) == (user.id, "by id")
    assert other_key.email == "made@x.test"
    assert [p.title for p in nested.posts or []] == ["p"]
    assert not any("ON CONFLICT" in e.sql for e in query_log.events)


async def test_include_is_read_with_the_upsert(db: Prisma) -> None:
    user = await db.account.create(
        data={"email": "i@x.test", "posts": {"create": [{"title": "one"}]}}
    )

    found = await db.account.upsert(
        where={"email": "i@x.test"},
        data={"create": {"email": "i@x.test"}, "update": {"name": "I"}},
        include={"posts": True},
    )

    assert (found.id, found.name) == (user.id, "I")
    assert [p.title for p in found.posts or []] == ["one"]
