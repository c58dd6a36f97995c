"""Input values → parameters, and database values → what results hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from orm.runtime import errors
from orm.runtime.fields import Base64, Json
from orm.runtime.query.hydrate import construct, convert_row
from orm.runtime.query.values import db_value
from orm.runtime.types import JsonValue
from tests.orm.generated.client.enums import Role
from tests.orm.generated.client.models import User
from tests.unit.orm.runtime.query.support import model

USER = model("User")


def value(field: str, raw: JsonValue) -> JsonValue:
    return db_value(USER, USER.scalars[field], raw)


def test_values_become_what_asyncpg_sends() -> None:
    plus_two = timezone(timedelta(hours=2))

    assert value("createdAt", datetime(2024, 1, 1, 12, tzinfo=plus_two)) == datetime(2024, 1, 1, 10)
    assert value("createdAt", date(2024, 1, 2)) == datetime(2024, 1, 2)
    assert value("createdAt", "2024-01-01T00:00:00+00:00") == datetime(2024, 1, 1)
    assert value("balance", "1.50") == Decimal("1.50")
    assert value("balance", 2) == Decimal(2)
    assert value("score", 1) == 1.0
    assert value("meta", Json({"a": [1]})) == '{"a": [1]}'
    assert value("avatar", Base64.encode(b"hi")) == b"hi"
    assert value("role", Role.ADMIN) == "ADMIN"
    assert value("role", "EDITOR") == "EDITOR"


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("age", True, "an int"),
        ("age", 1.5, "an int"),
        ("score", "1", "a float or int"),
        ("balance", "abc", "a Decimal"),
        ("active", 1, "a bool"),
        ("createdAt", "yesterday", "a datetime"),
        ("avatar", "aGk=", "Base64 or bytes"),
    ],
)
def test_wrong_types_name_the_field(field: str, raw: JsonValue, expected: str) -> None:
    with pytest.raises(errors.InputError, match=rf"User\.{field} expects {expected}") as info:
        value(field, raw)

    assert (info.value.model, info.value.field) == ("User", field)


def test_unserialisable_json_is_a_type_error_as_in_prisma_client_py() -> None:
    with pytest.raises(TypeError, match=r"User\.meta: Type <class 'set'> not serializable"):
        value("meta", Json({1, 2}))


def test_datetimes_are_truncated_to_milliseconds() -> None:
    written = value("createdAt", datetime(2024, 1, 1, 12, 0, 0, 123999, tzinfo=UTC))
    assert written == datetime(2024, 1, 1, 12, 0, 0, 123000)


def test_rows_convert_to_result_values() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    row = {
        "id": "c1",
        "email": "a@x.io",
        "role": "ADMIN",
        "meta": '{"k": [1, null]}',
        "avatar": b"\x00\x01",
        "tags": None,
        "roles": ["USER", "EDITOR"],
        "luckyNums": [1],
        "createdAt": now,
    }

    data = convert_row(USER, row)

    assert data["role"] is Role.ADMIN
    assert data["roles"] == [Role.USER, Role.EDITOR]
    assert data["meta"] == {"k": [1, None]}
    assert data["avatar"] == Base64.encode(b"\x00\x01")
    assert data["tags"] == []
    assert data["createdAt"] is now


def test_construct_builds_the_bound_class_without_validation() -> None:
    user = construct(USER, {"id": "c1", "email": "a@x.io", "age": None})

    assert isinstance(user, User)
    assert (user.id, user.email, user.posts, user.profile) == ("c1", "a@x.io", None, None)
    assert user.model_fields_set == {"id", "email", "age"}
