"""Write statements and their checks, compiled without a database."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, update

from orm.runtime import errors
from orm.runtime.fields import Json
from orm.runtime.query.write.ops import create_many, update_many
from orm.runtime.query.write.scalars import create_values, update_values
from orm.runtime.query.write.validate import validate_create, validate_update
from orm.runtime.types import JsonValue
from tests.unit.orm.runtime.query.support import SCHEMA, RecordingExecutor, compiled, model

USER = model("User")
CUID = re.compile(r"^c[0-9a-z]{24}$")
NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def bound(value: JsonValue) -> JsonValue:
    """The Python value bound by a one-parameter expression."""
    [param] = compiled(value)[1].values()
    return param


def test_create_fills_client_side_defaults() -> None:
    values = create_values(USER, {"email": "a@x.io"}, now=NOW)

    assert set(values) == {"id", "email", "createdAt", "updatedAt"}  # omitted lists are NULL
    assert CUID.match(bound(values["id"]))
    assert bound(values["createdAt"]) == bound(values["updatedAt"]) == datetime(2024, 1, 2, 3, 4, 5)
    assert CUID.match(bound(create_values(USER, {"email": "b"})["id"]))


def test_database_defaults_are_left_to_the_database() -> None:
    values = create_values(model("Profile"), {"bio": "b", "userId": "u"})

    assert set(values) == {"bio", "userId"}


def test_json_is_sent_as_text_cast_to_jsonb() -> None:
    values = create_values(USER, {"email": "a@x.io", "meta": Json([1])})
    text, params = compiled(insert(USER.table).values(values))

    assert "CAST(%(param_3)s AS JSONB)" in text
    assert params["param_3"] == "[1]"


def test_update_operations_compile_to_expressions_on_the_column() -> None:
    values = update_values(
        USER,
        USER.table,
        {"age": {"increment": 2}, "score": {"divide": 2.0}, "tags": {"push": "x"}, "name": None},
    )
    text, params = compiled(update(USER.table).values(values))

    assert text.startswith(
        "UPDATE users SET name=%(name)s, age=(users.age + %(param_1)s), "
        "score=(users.score / CAST(%(param_2)s AS DOUBLE PRECISION)), "
        "tags=array_cat(users.tags, %(param_3)s::TEXT[]), "
        "updated_at=%(param_4)s"
    )
    assert params["name"] is None
    assert (params["param_1"], params["param_2"], params["param_3"]) == (2, 2.0, ["x"])


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ({}, errors.MissingRequiredValueError, r"User\.email is required"),
        ({"email": 1}, errors.InputError, r"User\.email expects a str"),
        ({"email": "a", "posts": {"make": {}}}, errors.InputError, r"`make` is not allowed"),
        (
            {"email": "a", "posts": {"create": {"title": 1}}},
            errors.InputError,
            r"Post\.title expects a str",
        ),
        (
            {"email": "a", "posts": {"connect": {"title": "t"}}},
            errors.InputError,
            r"Post\.connect needs a unique `where`",
        ),
        (
            {"email": "a", "posts": {"create_many": {"data": [{"nope": 1}]}}},
            errors.FieldNotFoundError,
            "Post has no field `nope`",
        ),
    ],
)
def test_create_validation(
    data: dict[str, JsonValue], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        validate_create(SCHEMA, USER, data)


def test_nested_create_does_not_require_the_key_the_parent_fills_in() -> None:
    validate_create(SCHEMA, USER, {"email": "a", "posts": {"create": [{"title": "t"}]}})
    validate_create(SCHEMA, model("Post"), {"title": "t", "author": {"connect": {"id": "u"}}})


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("User", {"age": {"push": 1}}, r"`push` is not an update operation for User\.age"),
        ("User", {"email": {"increment": 1}}, r"`increment` is not an update operation"),
        ("Post", {"author": {"disconnect": True}}, "cannot `disconnect`"),
        ("User", {"posts": {"disconnect": True}}, r"Post\.disconnect needs a unique `where`"),
        ("Comment", {"author": {"set": []}}, "`set` is not allowed here"),
    ],
)
def test_update_validation(name: str, data: dict[str, JsonValue], message: str) -> None:
    with pytest.raises(errors.InputError, match=message):
        validate_update(SCHEMA, model(name), data)


async def test_create_many_is_one_insert_with_defaults_for_missing_columns() -> None:
    ex = RecordingExecutor()

    await create_many(
        ex,
        SCHEMA,
        model("Team"),
        [{"name": "a", "slug": "a", "id": 5}, {"name": "b", "slug": "b"}],
        skip_duplicates=True,
    )

    assert ex.statements == [
        "INSERT INTO teams (id, name, slug) VALUES (%(param_1)s, %(param_2)s, %(param_3)s), "
        "(DEFAULT, %(param_4)s, %(param_5)s) ON CONFLICT DO NOTHING"
    ]


async def test_update_many_without_changes_runs_nothing() -> None:
    ex = RecordingExecutor()

    assert await update_many(ex, SCHEMA, model("Team"), {}, {"name": "a"}) == 0
    assert ex.statements == []


def test_set_on_a_required_foreign_key_is_rejected() -> None:
    with pytest.raises(errors.InputError, match=r"User\.posts: cannot `set`"):
        validate_update(SCHEMA, USER, {"posts": {"set": [{"id": "p"}]}})
    validate_update(SCHEMA, USER, {"comments": {"set": [{"id": 1}]}})
