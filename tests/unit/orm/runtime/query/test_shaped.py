"""Shape keys: values become parameters, everything that changes the SQL goes in the key, and
arguments too rich for a shape are left to the builder."""

from __future__ import annotations

import pytest
from sqlalchemy import Select

from orm.runtime.query.shaped import UNSHAPED, freeze, shaped_where
from orm.runtime.types import JsonValue
from tests.orm.generated.client.enums import Role
from tests.unit.orm.runtime.query.support import model

USER, PERSON = model("User"), model("Person")


def _unbuilt() -> Select[JsonValue]:
    raise AssertionError("not built")


def test_values_are_parameters_and_names_are_the_key() -> None:
    one = shaped_where(USER, "findMany", {"email": "a", "role": Role.ADMIN}, _unbuilt)
    two = shaped_where(USER, "findMany", {"email": "b", "role": Role.USER}, _unbuilt)
    swapped = shaped_where(USER, "findMany", {"role": Role.USER, "email": "b"}, _unbuilt)

    assert one is not None
    assert two is not None
    assert swapped is not None
    assert one.key == two.key != swapped.key
    assert (one.params, two.params, swapped.params) == (
        ("a", "ADMIN"),
        ("b", "USER"),
        ("USER", "b"),
    )


def test_compound_keys_and_tails() -> None:
    shaped = shaped_where(
        PERSON,
        "findUnique",
        {"name_surname": {"firstName": "A", "lastName": "B"}},
        _unbuilt,
        tail=(("limit",), (5,)),
    )

    assert shaped is not None
    assert shaped.params == ("A", "B", 5)
    assert shaped.key == ("findUnique", "Person", (("name_surname",),), ("limit",))


@pytest.mark.parametrize(
    "where",
    [
        {"email": None},
        {"email": {"equals": "a"}},
        {"tags": ["x"]},
        {"meta": {"a": 1}},
        {"posts": {"some": {}}},
        {"OR": [{"email": "a"}]},
        {"nope": 1},
        {"age": "not an int"},
        {"name_surname": {"lastName": "B", "firstName": "A"}},
    ],
)
def test_rich_or_invalid_arguments_have_no_shape(where: dict[str, JsonValue]) -> None:
    assert (
        shaped_where(USER if "name_surname" not in where else PERSON, "x", where, _unbuilt) is None
    )


def test_freeze_tags_types_and_refuses_other_values() -> None:
    assert freeze({"age": "asc"}) == ("{}", (("age", ("str", "asc")),))
    assert freeze([True]) != freeze([1])
    assert freeze({"age": object()}) is UNSHAPED
