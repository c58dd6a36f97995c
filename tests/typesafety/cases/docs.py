"""prisma-client-py's documented call shapes (docs/reference/operations.md, client.md,
model-actions.md, batching.md, transactions.md) type-check against the generated test client.

Checked by pyright, never run (see queries.py). Lines marked `departure:` are documented calls
our client rejects; their ignore turns into an "unnecessary ignore" error once the client
accepts them, so the comment must then go.
"""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, assert_type

from tests.orm.generated.client import (
    Base64,
    Client,
    Json,
    Prisma,
    errors,
    get_client,
    models,
    register,
    types,
)
from tests.orm.generated.client.enums import Role


async def client_docs() -> None:
    db = Prisma(
        datasource={"url": "postgresql://localhost/db"},
        auto_register=True,
        log_queries=True,
        connect_timeout=datetime.timedelta(seconds=10),
    )
    await db.connect()
    await db.connect(timeout=datetime.timedelta(seconds=5))
    assert_type(db.is_connected(), bool)
    await db.disconnect()
    await db.disconnect(timeout=datetime.timedelta(seconds=1))
    async with Prisma() as client:
        assert_type(client, Prisma)
    assert_type(Client(), Prisma)
    register(Prisma())
    register(lambda: Prisma())
    assert_type(get_client(), Prisma)
    Prisma(use_dotenv=False)
    Prisma(http={"timeout": 10})
    db.is_registered()
    await db.disconnect(timeout=1.5)
    await db.connect(timeout=10)
    await db.get_metrics(format="prometheus")


async def operations_docs(db: Prisma) -> None:
    assert_type(await db.account.create({"email": "a@x.io", "name": "Robert"}), models.User)
    assert_type(
        await db.account.create_many(
            data=[{"id": "abc", "email": "t@x.io"}, {"id": "def", "email": "r@x.io"}],
            skip_duplicates=True,
        ),
        int,
    )
    assert_type(await db.account.find_unique(where={"id": "1"}), models.User | None)
    post = await db.post.find_first(
        skip=2,
        where={"title": {"contains": "Post"}},
        cursor={"id": "abcd"},
        include={"author": True},
        order={"id": "asc"},
    )
    assert_type(post, models.Post | None)
    posts = await db.post.find_many(
        take=5,
        skip=1,
        where={"published": True},
        cursor={"id": "desc"},
        include={"categories": True},
        order={"id": "desc"},
    )
    assert_type(posts, list[models.Post])
    assert_type(
        await db.post.delete(where={"id": "x"}, include={"categories": True}), models.Post | None
    )
    assert_type(await db.post.delete_many(where={"published": False}), int)
    updated = await db.post.update(
        where={"id": "x"}, data={"views": {"increment": 1}}, include={"categories": True}
    )
    assert_type(updated, models.Post | None)
    assert_type(await db.post.update_many(where={"published": False}, data={"views": 0}), int)
    upserted = await db.post.upsert(
        where={"id": "x"},
        data={
            "create": {"title": "created", "published": False, "authorId": "u1"},
            "update": {"title": "updated", "published": True},
        },
        include={"categories": True},
    )
    assert_type(upserted, models.Post)


async def filter_docs(db: Prisma) -> None:
    await db.post.find_first(
        where={
            "title": {
                "equals": "example_string",
                "not_in": ["ignore_1"],
                "lt": "z",
                "lte": "y",
                "gt": "a",
                "gte": "b",
                "contains": "present",
                "startswith": "start",
                "endswith": "end",
                "in": ["find_1"],
                "mode": "insensitive",
                "not": {"contains": "absent", "mode": "default"},
            },
            "views": {"equals": 1, "in": [1, 2], "not_in": [4], "lt": 10, "not": {"gt": 10}},
            "createdAt": {
                "equals": datetime.datetime.now(),
                "not": {"lt": datetime.datetime.now()},
            },
            "published": {"equals": True, "not": False},
            "author": {"is": {"name": "Robert"}, "is_not": {"name": "Tegan"}},
            "categories": {"none": {"name": "Exclude"}, "some": {"name": {"contains": "S"}}},
        }
    )
    await db.account.find_first(
        where={
            "meta": {"equals": Json.keys(country="Scotland"), "not": Json(["foo"])},
            "avatar": {"equals": Base64.encode(b"data"), "not": Base64(b"WW91")},
            "tags": {"has": "robert@craigie.dev"},
            "score": {"equals": 10.0, "in": [1.2], "not": {"gt": 10.0}},
            "balance": {"gte": Decimal("1.5")},
        }
    )
    await db.account.find_first(where={"tags": {"has_every": ["a"]}})
    await db.account.find_first(where={"tags": {"has_some": ["a"]}})
    await db.account.find_first(where={"tags": {"is_empty": True}})
    await db.post.find_first(
        where={
            "AND": [{"title": {"contains": "prisma"}}, {"title": {"contains": "test"}}],
            "OR": [{"title": {"contains": "prisma"}}, {"published": True}],
            "NOT": [{"title": "My test post"}],
        }
    )


async def update_docs(db: Prisma) -> None:
    await db.post.update(where={"id": "abc"}, data={"views": {"set": 5}})
    await db.post.update(where={"id": "abc"}, data={"views": {"divide": 10}})
    await db.account.update(where={"id": "abc"}, data={"score": {"multiply": 2.5}})
    await db.account.update(where={"id": "abc"}, data={"tags": {"set": ["a", "b"]}})
    await db.account.update(where={"id": "abc"}, data={"tags": {"push": ["c"]}})
    await db.account.update(where={"id": "abc"}, data={"roles": {"push": Role.ADMIN}})


async def aggregate_docs(db: Prisma) -> None:
    assert_type(await db.post.count(where={"published": True}), int)
    total = await db.post.count(take=10, skip=1, where={"published": True}, cursor={"id": "c1"})
    assert_type(total, int)
    counts = await db.account.count(select={"_all": True, "name": True})
    assert_type(counts, types.UserCountAggregateOutput)
    assert_type(await db.account.group_by(["role"]), list[types.UserGroupByOutput])
    await db.account.group_by(["role"], count=True)
    await db.account.group_by(
        by=["role", "name"],
        count={"_all": True, "name": True},
        sum={"views": True},
        order={"role": "desc"},
        having={"views": {"_avg": {"gt": 200}}},
    )


async def batch_tx_raw_docs(db: Prisma) -> None:
    async with db.batch_() as batcher:
        batcher.account.create({"email": "r@x.io"})
        batcher.account.create({"email": "t@x.io"})
    batcher = db.batch_()
    batcher.account.create({"email": "r@x.io"})
    await batcher.commit()
    async with db.tx() as transaction:
        assert_type(transaction, Prisma)
        user = await transaction.account.update(
            where={"id": "from"}, data={"balance": {"decrement": Decimal(50)}}
        )
        assert_type(user, models.User | None)
    async with db.tx(max_wait=2000, timeout=datetime.timedelta(seconds=10)) as transaction:
        await models.User.prisma(transaction).update(
            where={"id": "to"}, data={"balance": {"increment": Decimal(50)}}
        )
    assert_type(await db.execute_raw("UPDATE users SET age = $1", 1), int)
    assert_type(await db.query_raw("SELECT * FROM posts"), list[dict[str, Any]])
    assert_type(await db.query_raw("SELECT * FROM posts", model=models.Post), list[models.Post])
    assert_type(await db.query_first("SELECT 1"), dict[str, Any] | None)
    first = await db.query_first("SELECT * FROM posts LIMIT 1", model=models.Post)
    assert_type(first, models.Post | None)
    assert_type(await models.User.prisma().query_raw("SELECT * FROM users"), list[models.User])
    try:
        await db.account.create({"email": "r@x.io"})
    except errors.UniqueViolationError as exc:
        assert_type(exc, errors.UniqueViolationError)
