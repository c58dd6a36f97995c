"""Operation cache keys: what makes two requests the same operation, and what doesn't."""

from __future__ import annotations

from graphql import OperationType

from api.cache import describe, operation_key, wants_cache


def key(query: str, variables: dict[str, object] | None = None, scope: str = "public") -> str:
    document = describe(query)
    assert document is not None
    return operation_key(document, None, variables, scope)


def test_layout_and_comments_do_not_matter() -> None:
    assert key("{ a b }") == key("# note\n{\n  a,\n  b\n}\n")


def test_variables_are_compared_as_json_not_by_order() -> None:
    assert key("{ a }", {"x": 1, "y": [1, 2]}) == key("{ a }", {"y": [1, 2], "x": 1})
    assert key("{ a }", {"x": 1}) != key("{ a }", {"x": 2})


def test_the_viewer_scope_is_part_of_the_key() -> None:
    assert key("{ me }", scope="user:1") != key("{ me }", scope="user:2")
    assert key("{ me }", scope="user:1") != key("{ me }", scope="public")


def test_operation_types_are_found_by_name() -> None:
    document = describe("query A { a } mutation B { b }")
    assert document is not None
    assert document.operation_type("A") is OperationType.QUERY
    assert document.operation_type("B") is OperationType.MUTATION
    assert document.operation_type(None) is None  # ambiguous: GraphQL will reject it
    assert document.operation_type("C") is None


def test_unparsable_documents_have_no_shape() -> None:
    assert describe("{ a") is None


def test_requests_opt_out_with_an_extension_flag() -> None:
    assert wants_cache(None)
    assert wants_cache({"cache": True})
    assert not wants_cache({"cache": False})


def test_long_documents_are_described_without_being_kept() -> None:
    long = "{ " + " ".join(f"a{i}: hello" for i in range(2_000)) + " }"
    assert describe(long) == describe(long)
    assert describe(long) is not describe(long)
    assert describe("{ a }") is describe("{ a }")
