"""relation_load_strategy="join": the same results as the batched strategy, in one statement.

Every case runs the same read both ways and compares the instances (every field, nested, with
`model_fields_set`), so a difference in types (Decimal, DateTime, Json, Bytes, enums, lists)
or in paging shows up as a failure.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

import pytest

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.fields import Base64, Json
from tests.orm.generated.client import Prisma
from tests.orm.generated.client.enums import Role
from tests.orm.generated.client.models import User
from tests.orm.query_support import QueryLog, db, query_log

__all__ = ["db", "query_log"]


async def _seed(db: Prisma) -> None:
    category = await db.category.create(data={"name": "news"})
    team = await db.team.create(data={"name": "core", "slug": "core"})
    for u in range(4):
        user = await db.account.create(
            data={
                "email": f"u{u}@example.com",
                "name": None if u == 2 else f"User {u}",
                "role": Role.ADMIN if u == 1 else Role.USER,
                "age": None if u == 3 else 20 + u,
                "score": 1.1 * u,
                "balance": Decimal("1234.50") if u else Decimal("0"),
                "views": 2**40 + u,
                "meta": Json({"n": u, "f": 0.1, "nested": [1, "x", None]}) if u != 2 else None,
                "avatar": Base64.encode(bytes(range(256)) * 2) if u == 1 else None,
                "tags": ["a", f"t{u}"] if u else [],
                "roles": [Role.EDITOR, Role.USER],
                "luckyNums": [u, 7],
                "posts": {
                    "create": [
                        {
                            "title": f"u{u}-p{p}",
                            "views": (p * 7) % 5,
                            "rating": None if p == 1 else Decimal("4.10"),
                            "published": p % 2 == 0,
                            "comments": {"create": [{"content": f"c{c}"} for c in range(p)]},
                        }
                        for p in range(u + 2)
                    ]
                },
            }
        )
        if u != 3:
            await db.profile.create(data={"bio": f"bio {u}", "userId": user.id})
        await db.membership.create(data={"userId": user.id, "teamId": team.id})
    first = await db.post.find_first(order={"title": "asc"})
    assert first is not None
    await db.post.update(
        where={"id": first.id}, data={"categories": {"connect": [{"id": category.id}]}}
    )


def _dump(value: Any) -> Any:
    """Instances with everything that tells them apart: fields, fields set, nested."""
    if isinstance(value, list):
        return [_dump(v) for v in cast(list[Any], value)]
    if hasattr(value, "model_fields_set"):
        fields = {k: _dump(v) for k, v in value.__dict__.items()}
        return (type(value).__name__, sorted(value.model_fields_set), fields)
    if isinstance(value, Base64):
        return ("Base64", value.decode())
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in cast(dict[str, Any], value).items()}
    return repr(value)  # Decimal("1.10") and Decimal("1.1") differ here, as do time zones


async def _both(db: Prisma, log: QueryLog, **kwargs: Any) -> list[User]:
    batched = await db.account.find_many(**kwargs)
    log.clear()
    joined = await db.account.find_many(**kwargs, relation_load_strategy="join")
    assert log.count == 1
    assert _dump(joined) == _dump(batched)
    return joined


CASES: list[dict[str, Any]] = [
    {"order": {"email": "asc"}},
    {"order": {"email": "asc"}, "include": {"posts": True, "profile": True}},
    {
        "order": {"email": "desc"},
        "take": 3,
        "skip": 1,
        "include": {
            "posts": {
                "where": {"views": {"gte": 1}},
                "order_by": [{"views": "desc"}, {"title": "asc"}],
                "take": 2,
                "skip": 1,
                "include": {"comments": {"order_by": {"content": "desc"}}, "categories": True},
            }
        },
    },
    {
        "order": {"email": "asc"},
        "take": -2,
        "include": {"posts": {"take": -1, "order_by": {"title": "asc"}}},
    },
    {
        "where": {"posts": {"some": {"published": True}}},
        "order": {"email": "asc"},
        "include": {"memberships": {"include": {"team": True}}},
    },
    {
        "order": {"email": "asc"},
        "include": {
            "posts": {
                "order_by": {"title": "asc"},
                "include": {"author": {"include": {"profile": True}}},
            },
            "_count": True,
        },
    },
    {
        "order": {"email": "asc"},
        "select": {
            "email": True,
            "balance": True,
            "posts": {
                "select": {"title": True, "_count": {"select": {"comments": True}}},
                "order_by": {"title": "asc"},
            },
            "_count": {"select": {"posts": {"where": {"published": True}}, "comments": True}},
        },
    },
    {"order": {"email": "asc"}, "select": {"profile": {"select": {"bio": True}}, "id": True}},
]


@pytest.mark.parametrize("case", range(len(CASES)))
async def test_join_equals_batched(db: Prisma, query_log: QueryLog, case: int) -> None:
    await _seed(db)
    joined = await _both(db, query_log, **CASES[case])
    assert joined


async def test_cursor_inside_include(db: Prisma, query_log: QueryLog) -> None:
    await _seed(db)
    posts = await db.post.find_many(order={"title": "asc"})
    cursor = posts[2].id
    await _both(
        db,
        query_log,
        order={"email": "asc"},
        include={"posts": {"cursor": {"id": cursor}, "take": 2, "order_by": {"title": "asc"}}},
    )


async def test_find_unique_and_first(db: Prisma, query_log: QueryLog) -> None:
    await _seed(db)
    include: Any = {
        "posts": {"include": {"comments": True}, "order_by": {"title": "asc"}},
        "_count": True,
    }
    batched = await db.account.find_unique(where={"email": "u1@example.com"}, include=include)
    query_log.clear()
    joined = await db.account.find_unique(
        where={"email": "u1@example.com"}, include=include, relation_load_strategy="join"
    )
    assert query_log.count == 1
    assert joined is not None
    assert _dump(joined) == _dump(batched)
    assert joined.count_ == {"posts": 3, "comments": 0, "memberships": 1}
    missing = await db.account.find_unique(where={"email": "none"}, relation_load_strategy="join")
    assert missing is None
    first = await db.account.find_first(
        where={"age": {"gt": 20}},
        order={"age": "desc"},
        include=include,
        relation_load_strategy="join",
    )
    assert first is not None
    assert first.email == "u2@example.com"


async def test_self_relations_and_compound_keys(db: Prisma, query_log: QueryLog) -> None:
    ada = await db.person.create(data={"firstName": "Ada", "lastName": "L"})
    bob = await db.person.create(
        data={
            "firstName": "Bob",
            "lastName": "B",
            "mentor": {"connect": {"id": ada.id}},
            "following": {"connect": [{"id": ada.id}]},
        }
    )
    include: Any = {
        "mentor": True,
        "mentee": True,
        "followers": True,
        "following": {"include": {"followers": True}},
    }
    wheres: list[Any] = [{"id": ada.id}, {"name_surname": {"firstName": "Bob", "lastName": "B"}}]
    for where in wheres:
        batched = await db.person.find_unique(where=where, include=include)
        joined = await db.person.find_unique(
            where=where, include=include, relation_load_strategy="join"
        )
        assert _dump(joined) == _dump(batched)
    joined = await db.person.find_unique(
        where={"id": bob.id}, include=include, relation_load_strategy="join"
    )
    assert joined is not None
    assert joined.mentor is not None
    assert joined.mentor.id == ada.id


async def test_select_leaves_other_fields_unset(db: Prisma) -> None:
    await _seed(db)
    for strategy in ("query", "join"):
        users = await db.account.find_many(
            select={"email": True, "posts": {"select": {"title": True}, "take": 1}},
            order={"email": "asc"},
            relation_load_strategy=strategy,  # type: ignore[arg-type]
        )
        assert users[0].model_fields_set == {"email", "posts"}
        assert users[0].balance is None  # type: ignore[comparison-overlap]
        assert users[0].posts is not None
        assert users[0].posts[0].model_fields_set == {"title"}


async def test_distinct_inside_join_falls_back_to_batched(db: Prisma, query_log: QueryLog) -> None:
    await _seed(db)
    include: Any = {"posts": {"distinct": ["published"], "order_by": {"title": "asc"}}}
    query_log.clear()
    users = await db.account.find_many(
        include=include, order={"email": "asc"}, relation_load_strategy="join"
    )
    assert query_log.count == 2
    assert [len(u.posts or []) for u in users] == [2, 2, 2, 2]


async def test_bad_input_is_refused_with_a_clear_error(db: Prisma) -> None:
    with pytest.raises(InputError, match="either `include` or `select`"):
        await db.account.find_many(select={"id": True}, include={"posts": True})
    with pytest.raises(FieldNotFoundError, match="nope"):
        await db.account.find_many(select={"nope": True}, relation_load_strategy="join")  # type: ignore[typeddict-unknown-key]
    with pytest.raises(InputError, match="relation_load_strategy"):
        await db.account.find_many(relation_load_strategy="lateral")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="to-many"):
        await db.account.find_many(include={"_count": {"select": {"profile": True}}})  # type: ignore[typeddict-item]
    with pytest.raises(InputError, match="at least one"):
        await db.account.find_many(select={"id": False})


def _as_json(value: Any) -> Any:
    """What `find_many_json` writes for a value the batched strategy returned."""
    if isinstance(value, list):
        return [_as_json(v) for v in cast(list[Any], value)]
    if isinstance(value, datetime):
        utc = value.astimezone(UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    if isinstance(value, Decimal | Base64):
        return str(value)
    if isinstance(value, Enum):
        return value.name
    return value


async def test_json_output_is_the_batched_result_keyed_as_asked(
    db: Prisma, query_log: QueryLog
) -> None:
    await _seed(db)
    scalars = [
        "id",
        "email",
        "name",
        "role",
        "age",
        "score",
        "balance",
        "views",
        "meta",
        "avatar",
        "tags",
        "roles",
        "luckyNums",
        "createdAt",
    ]
    users = await db.account.find_many(
        order={"email": "desc"},
        take=3,
        include={
            "posts": {"order_by": {"title": "asc"}, "take": 2, "include": {"comments": True}},
            "profile": True,
        },
    )
    select: Any = {name: name.upper() for name in scalars}
    select["posts"] = {
        "as": "writing",
        "order_by": {"title": "asc"},
        "take": 2,
        "select": {"title": True, "rating": "stars", "comments": {"select": {"content": True}}},
    }
    select["profile"] = {"select": {"bio": True}}
    select["_count"] = {"select": {"posts": True}, "as": "counts"}
    query_log.clear()
    text = await db.account.find_many_json(order={"email": "desc"}, take=3, select=select)
    assert query_log.count == 1
    expected = [
        {
            **{name.upper(): _as_json(getattr(u, name)) for name in scalars},
            "writing": [
                {
                    "title": p.title,
                    "stars": _as_json(p.rating),
                    "comments": [{"content": c.content} for c in p.comments or []],
                }
                for p in u.posts or []
            ],
            "profile": {"bio": u.profile.bio} if u.profile else None,
            "counts": {"posts": len(await db.post.find_many(where={"authorId": u.id}))},
        }
        for u in users
    ]
    assert json.loads(text) == expected
    assert list(json.loads(text)[0]) == list(expected[0])  # keys in the order asked


async def test_json_output_of_one_record(db: Prisma) -> None:
    await _seed(db)
    one = await db.account.find_unique_json(
        where={"email": "u1@example.com"}, select={"email": True, "balance": "money"}
    )
    assert json.loads(one) == {"email": "u1@example.com", "money": "1234.5"}
    assert await db.account.find_unique_json(where={"email": "nobody"}) == "null"
    first = await db.account.find_first_json(order={"email": "desc"}, select={"email": True})
    assert json.loads(first) == {"email": "u3@example.com"}
    assert await db.account.find_many_json(where={"email": "nobody"}) == "[]"
