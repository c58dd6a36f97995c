"""Row values → instance dicts (`query.builders`): field order, defaults, conversions."""

from __future__ import annotations

import json

from orm.runtime.fields import Base64
from orm.runtime.query.builders import layout
from tests.orm.generated.client.enums import Role
from tests.orm.generated.client.models import Post, User
from tests.unit.orm.runtime.query.support import model

USER = model("User")


def test_a_dict_holds_every_field_in_class_order_whatever_the_column_order() -> None:
    built = layout(model("Post"), ("title", "__parent", "id"))

    [data] = built.build([("Hello", "c1", "p1")])

    assert list(data) == list(Post.model_fields)
    assert data["id"] == "p1"
    assert data["title"] == "Hello"
    assert data["body"] is None  # not read: the default
    assert "__parent" not in data  # a join table's key is no field
    assert built.fields == {"id", "title"}


def test_values_that_need_it_are_converted_and_null_lists_read_empty() -> None:
    columns = ("id", "role", "roles", "tags", "meta", "avatar", "luckyNums")
    built = layout(USER, columns)

    [full, empty] = built.build(
        [
            ("u1", "ADMIN", ["USER", "EDITOR"], ["a"], '{"k": [1]}', b"hi", [7]),
            ("u2", None, None, None, None, None, None),
        ]
    )

    assert full["role"] is Role.ADMIN
    assert full["roles"] == [Role.USER, Role.EDITOR]
    assert full["tags"] == ["a"]
    assert full["meta"] == json.loads('{"k": [1]}')
    assert full["avatar"] == Base64.encode(b"hi")
    assert full["luckyNums"] == [7]
    assert empty["role"] is None
    assert empty["meta"] is None
    assert (empty["roles"], empty["tags"], empty["luckyNums"]) == ([], [], [])
    assert list(full) == list(User.model_fields)


def test_a_layout_is_made_once_per_model_and_columns() -> None:
    assert layout(USER, ("id", "email")) is layout(USER, ("id", "email"))
    assert layout(USER, ("id", "email")) is not layout(USER, ("email", "id"))
