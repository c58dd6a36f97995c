"""The compiler's shape cache: SQL reused by shape only once a built statement proved it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select

from orm.runtime.engine.compile import StatementCompiler
from orm.runtime.executor import Shaped
from orm.runtime.query.read import unique_statement
from orm.runtime.types import JsonValue
from tests.unit.orm.runtime.query.support import SCHEMA, model

USER = model("User")


class Builds:
    """A statement builder that counts its calls."""

    def __init__(self, where: dict[str, JsonValue]) -> None:
        self.where = where
        self.calls = 0

    def __call__(self) -> Select[JsonValue]:
        self.calls += 1
        return unique_statement(SCHEMA, USER, self.where, "find_unique")


def _never() -> Callable[[], Select[JsonValue]]:
    def build() -> Select[JsonValue]:
        raise AssertionError("a known shape must not be built again")

    return build


def test_a_known_shape_binds_new_values_without_building() -> None:
    compiler = StatementCompiler()
    first = compiler.compile(Shaped(("u", "id"), ("a",), Builds({"id": "a"})))

    again = compiler.compile(Shaped(("u", "id"), ("b",), _never()))

    assert again.sql == first.sql
    assert (first.params, again.params) == (("a",), ("b",))
    assert again.is_read


def test_a_shape_whose_parameters_differ_from_the_statement_is_not_reused() -> None:
    compiler = StatementCompiler()
    builds = Builds({"id": "a"})

    wrong = compiler.compile(Shaped(("u", "id"), ("not a",), builds))
    compiler.compile(Shaped(("u", "id"), ("b",), builds))

    assert wrong.params == ("a",)  # what the statement binds, not what the shape claimed
    assert builds.calls == 2


def test_equal_parameters_do_not_prove_their_order() -> None:
    compiler = StatementCompiler()
    builds = Builds({"id": "x", "email": "x"})

    compiler.compile(Shaped(("u", "id", "email"), ("x", "x"), builds))
    compiler.compile(Shaped(("u", "id", "email"), ("x", "x"), builds))

    assert builds.calls == 2
