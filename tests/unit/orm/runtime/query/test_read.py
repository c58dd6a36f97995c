"""find statements: order, take/skip, negative take, cursor; include batching by level."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from orm.runtime import errors
from orm.runtime.query.include import materialize
from orm.runtime.query.read import FindArgs, find_statement
from orm.runtime.types import JsonValue
from tests.unit.orm.runtime.query.support import SCHEMA, RecordingExecutor, compiled, model

USER = model("User")
COLUMNS = (
    "SELECT users.id AS id, users.email AS email, users.name AS name, users.role AS role, "
    "users.age AS age, users.score AS score, trim_scale(users.balance) AS balance, "
    "users.views AS views, "
    "users.active AS active, CAST(users.meta AS TEXT) AS meta, users.avatar AS avatar, "
    'users.tags AS tags, users.roles AS roles, users."luckyNums" AS "luckyNums", '
    "users.created_at AT TIME ZONE 'UTC' AS \"createdAt\", "
    "users.updated_at AT TIME ZONE 'UTC' AS \"updatedAt\" FROM users"
)


def statement(**args: JsonValue) -> tuple[str, dict[str, JsonValue], bool]:
    stmt, reverse = find_statement(SCHEMA, USER, FindArgs(**args))
    text, params = compiled(stmt)
    assert text.startswith(COLUMNS)
    return text[len(COLUMNS) :].strip(), params, reverse


def test_every_scalar_is_selected_under_its_field_name() -> None:
    assert statement() == ("", {}, False)


def test_order_take_skip() -> None:
    text, params, reverse = statement(
        order=[{"age": {"sort": "desc", "nulls": "last"}}, {"email": "asc"}], take=5, skip=10
    )

    assert text == (
        "ORDER BY users.age DESC NULLS LAST, users.email ASC LIMIT %(param_1)s OFFSET %(param_2)s"
    )
    assert (params, reverse) == ({"param_1": 5, "param_2": 10}, False)


def test_negative_take_reverses_the_order_with_an_id_tie_breaker() -> None:
    text, params, reverse = statement(order={"age": "asc"}, take=-3)

    assert text == "ORDER BY users.age DESC, users.id DESC LIMIT %(param_1)s"
    assert (params, reverse) == ({"param_1": 3}, True)


def test_cursor_starts_at_the_cursor_row_in_the_requested_order() -> None:
    text, params, _ = statement(cursor={"id": "c1"}, order={"age": "asc"}, take=2)

    cursor_age = "(SELECT users_1.age FROM users AS users_1 WHERE users_1.id = %(param_1)s)"
    cursor_id = "(SELECT users_1.id FROM users AS users_1 WHERE users_1.id = %(param_1)s)"
    assert text == (
        f"WHERE users.age > {cursor_age} OR users.age = {cursor_age} AND users.id > {cursor_id} "
        f"OR users.age = {cursor_age} AND users.id = {cursor_id} "
        "ORDER BY users.age ASC, users.id ASC LIMIT %(param_2)s"
    )
    assert params == {"param_1": "c1", "param_2": 2}


def test_distinct_paginates_after_deduplicating() -> None:
    text, _, _ = statement(distinct=["role"], take=2, order={"age": "asc"})

    assert text == "ORDER BY users.age ASC"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"order": {"nope": "asc"}}, "User has no field `nope` in order"),
        ({"order": {"posts": "asc"}}, r'User.posts: order by a relation with a dict: \{"_count"'),
        ({"order": {"age": "up"}}, "order must be 'asc' or 'desc'"),
        ({"take": "1"}, "`take` must be an int"),
        ({"skip": -1}, "`skip` must not be negative"),
    ],
)
def test_bad_arguments(args: dict[str, JsonValue], message: str) -> None:
    with pytest.raises(errors.InputError, match=message):
        find_statement(SCHEMA, USER, FindArgs(**args))


def _user(user_id: str) -> Mapping[str, JsonValue]:
    return {name: None for name in USER.scalars} | {"id": user_id, "email": f"{user_id}@x.io"}


async def test_include_loads_each_level_with_one_statement_for_all_parents() -> None:
    post = {name: None for name in model("Post").scalars} | {"id": "p1", "authorId": "u1"}
    ex = RecordingExecutor([[post]])

    users = await materialize(
        ex,
        SCHEMA,
        USER,
        [_user("u1"), _user("u2"), _user("u1")],
        {"posts": {"include": {"comments": True}}, "profile": False},
    )

    posts_sql, comments_sql = ex.statements
    assert posts_sql.endswith("FROM posts WHERE posts.author_id = ANY (%(param_1)s::TEXT[])")
    assert comments_sql.endswith("FROM comments WHERE comments.post_id = ANY (%(param_1)s::TEXT[])")
    assert [len(getattr(u, "posts")) for u in users] == [1, 0, 1]  # noqa: B009


async def test_paginated_include_numbers_rows_per_parent() -> None:
    ex = RecordingExecutor()

    await materialize(
        ex, SCHEMA, USER, [_user("u1")], {"posts": {"order_by": {"views": "desc"}, "take": 2}}
    )

    [text] = ex.statements
    assert "row_number() OVER (PARTITION BY posts.author_id ORDER BY posts.views DESC, " in text
    assert text.endswith(
        "WHERE anon_1.__rn > %(rn_1)s AND anon_1.__rn <= %(rn_2)s ORDER BY anon_1.__rn"
    )


async def test_many_to_many_include_selects_the_parent_key_from_the_join_table() -> None:
    ex = RecordingExecutor()
    post = {name: None for name in model("Post").scalars} | {"id": "p1"}

    await materialize(ex, SCHEMA, model("Post"), [post], {"categories": True})

    [text] = ex.statements
    assert text == (
        'SELECT categories.id AS id, categories.name AS name, "_CategoryToPost"."B" AS __parent '
        'FROM categories JOIN "_CategoryToPost" ON "_CategoryToPost"."A" = categories.id '
        'WHERE "_CategoryToPost"."B" = ANY (%(param_1)s::TEXT[])'
    )


async def test_unknown_include_is_rejected() -> None:
    with pytest.raises(errors.FieldNotFoundError, match="User has no field `postz` in include"):
        await materialize(RecordingExecutor(), SCHEMA, USER, [_user("u1")], {"postz": True})
