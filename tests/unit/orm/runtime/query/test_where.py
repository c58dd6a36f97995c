"""`where` compiled to PostgreSQL text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Integer, literal_column, select

from orm.runtime import errors
from orm.runtime.fields import Json
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.types import JsonValue
from tests.orm.generated.client.enums import Role
from tests.unit.orm.runtime.query.support import SCHEMA, compiled, model

USER = model("User")


def where(value: dict[str, JsonValue], name: str = "User") -> tuple[str, dict[str, JsonValue]]:
    """The WHERE clause alone, compiled inside a SELECT so EXISTS subqueries correlate."""
    meta = model(name)
    stmt = select(literal_column("1", Integer)).select_from(meta.table)
    text, params = compiled(stmt.where(compile_where(SCHEMA, meta, meta.table, value)))
    return text.split(" WHERE ", 1)[1], params


def test_bare_value_is_equals_and_none_is_null() -> None:
    assert where({"email": "a@x.io"}) == ("users.email = %(param_1)s", {"param_1": "a@x.io"})
    assert where({"name": None})[0] == "users.name IS NULL"
    assert where({"name": {"not": None}})[0] == "users.name IS NOT NULL"


def test_mapped_column_names_are_used() -> None:
    assert where({"createdAt": {"gte": datetime(2024, 1, 1, tzinfo=UTC)}}) == (
        "users.created_at >= %(param_1)s",
        {"param_1": datetime(2024, 1, 1)},
    )


def test_comparisons_and_in() -> None:
    text, params = where({"age": {"gt": 1, "lte": 9, "in": [1, 2], "not_in": [3]}})

    assert text == (
        "users.age > %(param_1)s AND users.age <= %(param_2)s "
        "AND users.age = ANY (%(param_3)s::INTEGER[]) "
        "AND NOT (users.age = ANY (%(param_4)s::INTEGER[]))"
    )
    assert list(params.values()) == [1, 9, [1, 2], [3]]


def test_string_patterns_escape_wildcards_and_fold_case() -> None:
    text, params = where({"name": {"contains": "50%_off", "mode": "insensitive"}})
    starts = where({"name": {"startswith": "a"}})
    equals = where({"email": {"equals": "A@x.io", "mode": "insensitive"}})

    assert text == "users.name ILIKE %(param_1)s ESCAPE '\\'"
    assert params == {"param_1": "%50\\%\\_off%"}
    assert starts == ("users.name LIKE %(param_1)s ESCAPE '\\'", {"param_1": "a%"})
    assert equals[0] == "lower(users.email) = lower(%(param_1)s)"


def test_not_with_nested_filter() -> None:
    assert where({"age": {"not": {"gt": 3}}})[0] == "users.age <= %(param_1)s"
    assert where({"name": {"not": "x"}})[0] == "users.name != %(param_1)s"


def test_enum_json_and_list_filters() -> None:
    assert where({"role": Role.ADMIN}) == ("users.role = %(param_1)s", {"param_1": "ADMIN"})
    assert where({"meta": {"equals": Json({"a": 1})}}) == (
        "users.meta = CAST(%(param_1)s AS JSONB)",
        {"param_1": '{"a": 1}'},
    )
    assert where({"tags": {"has": "x"}})[0] == "%(param_1)s = ANY (users.tags)"
    assert where({"tags": {"has_some": ["x"]}})[0] == "users.tags && %(param_1)s::TEXT[]"
    assert where({"tags": {"has_every": ["x"]}})[0] == "users.tags @> %(param_1)s::TEXT[]"
    assert where({"tags": {"is_empty": True}})[0] == "cardinality(users.tags) = %(cardinality_1)s"


def test_and_or_not() -> None:
    text, _ = where({"OR": [{"age": 1}, {"age": 2}], "NOT": [{"name": "a"}, {"name": "b"}]})

    assert text == (
        "(users.age = %(param_1)s OR users.age = %(param_2)s) "
        "AND users.name != %(param_3)s AND users.name != %(param_4)s"
    )


def test_to_many_relation_filters_are_correlated_exists() -> None:
    some = where({"posts": {"some": {"title": "t"}}})[0]
    every = where({"posts": {"every": {"published": True}}})[0]

    assert some == (
        "EXISTS (SELECT 1 FROM posts AS posts_1 "
        "WHERE posts_1.author_id = users.id AND posts_1.title = %(param_1)s)"
    )
    assert every == (
        "NOT (EXISTS (SELECT 1 FROM posts AS posts_1 "
        "WHERE posts_1.author_id = users.id AND posts_1.published != %(param_1)s))"
    )


def test_implicit_many_to_many_filter_goes_through_the_join_table() -> None:
    text = where({"categories": {"none": {"name": "x"}}}, "Post")[0]

    assert text == (
        'NOT (EXISTS (SELECT 1 FROM "_CategoryToPost" AS "_CategoryToPost_1" '
        'JOIN categories AS categories_1 ON "_CategoryToPost_1"."A" = categories_1.id '
        'WHERE "_CategoryToPost_1"."B" = posts.id AND categories_1.name = %(param_1)s))'
    )


def test_to_one_filters() -> None:
    owning = where({"author": {"is": None}}, "Comment")[0]
    other = where({"profile": {"is_not": None}})[0]
    self_relation = where({"mentor": {"firstName": "Ada"}}, "Person")[0]

    assert owning == "comments.author_id IS NULL"
    assert other == (
        "EXISTS (SELECT 1 FROM profiles AS profiles_1 WHERE profiles_1.user_id = users.id)"
    )
    assert self_relation == (
        "EXISTS (SELECT 1 FROM people AS people_1 WHERE people_1.id = people.mentor_id "
        "AND people_1.first_name = %(param_1)s)"
    )


def test_compound_unique_key() -> None:
    person = model("Person")
    condition = compile_unique(
        SCHEMA, person, person.table, {"name_surname": {"firstName": "a", "lastName": "b"}}, "x"
    )

    assert compiled(condition)[0] == (
        "people.first_name = %(param_1)s AND people.last_name = %(param_2)s"
    )


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ({"nope": 1}, errors.FieldNotFoundError, "User has no field `nope` in where"),
        ({"age": {"like": 1}}, errors.InputError, r"`like` is not a filter for User\.age"),
        ({"age": "x"}, errors.InputError, r"User\.age expects an int"),
        ({"active": {"gt": True}}, errors.InputError, r"`gt` is not a filter for User\.active"),
        ({"posts": {"is": {}}}, errors.InputError, r"User\.posts is a relation"),
        ({"tags": {"contains": "x"}}, errors.InputError, "list field User.tags"),
        ({"role": "OWNER"}, errors.InputError, r"User\.role expects one of the Role values"),
    ],
)
def test_bad_input(value: dict[str, JsonValue], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        where(value)


def test_unique_where_must_name_a_unique_key() -> None:
    with pytest.raises(
        errors.InputError, match=r"User\.find_unique needs a unique `where`: .*email"
    ):
        compile_unique(SCHEMA, USER, USER.table, {"name": "a"}, "find_unique")
