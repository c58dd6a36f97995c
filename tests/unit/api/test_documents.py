"""The memo of parsed and validated documents: kept per text, options and rules; bounded."""

from __future__ import annotations

import strawberry
from graphql import NoUnusedFragmentsRule

from api.extensions.documents import DocumentMemo


@strawberry.type
class Query:
    hello: str = "world"


SCHEMA = strawberry.Schema(query=Query)._schema  # pyright: ignore[reportPrivateUsage]


def test_a_document_is_parsed_once_per_text_and_options() -> None:
    memo = DocumentMemo()
    first = memo.parse("{ hello }", {})
    assert first is not None
    assert memo.parse("{ hello }", {}) is first
    assert memo.parse("{ hello }", {"max_tokens": 10}) is not first


def test_parse_options_still_apply() -> None:
    assert DocumentMemo().parse("{ " + "hello " * 30 + "}", {"max_tokens": 10}) is None


def test_documents_that_do_not_parse_are_not_kept() -> None:
    memo = DocumentMemo()
    assert memo.parse("{ hello", {}) is None
    assert memo.parse("{ hello", {}) is None


def test_validation_errors_are_kept_per_rules() -> None:
    memo = DocumentMemo()
    query = "{ hello } fragment F on Query { hello }"
    document = memo.parse(query, {})
    assert document is not None
    assert memo.validate(SCHEMA, query, document, ()) == []
    errors = memo.validate(SCHEMA, query, document, (NoUnusedFragmentsRule,))
    assert "never used" in errors[0].message
    assert memo.validate(SCHEMA, query, document, (NoUnusedFragmentsRule,)) is errors


def test_the_memo_is_bounded() -> None:
    memo = DocumentMemo(max_entries=2)
    first = memo.parse("{ a }", {})
    memo.parse("{ b }", {})
    memo.parse("{ c }", {})
    assert memo.parse("{ a }", {}) is not first
