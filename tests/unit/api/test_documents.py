"""Prepared documents: parsed once, refused cheaply and with codes, costed from page sizes."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, OperationType

from api.documents import DocumentLimits, DocumentStore, TrustedDocuments, TrustedDocumentsError
from api.documents.checks import count_tokens
from api.errors import GraphQLErrors, OperationNameRequiredError, OperationNotFoundError
from api.schema import schema

SCHEMA = schema._schema  # pyright: ignore[reportPrivateUsage]

PAGES = """{ projects(first: 100) { edges { node {
  files(first: 100) { edges { node { path } } }
  messages(first: 100) { nodes { content } } } } } }"""


def store(**limits: int | bool) -> DocumentStore:
    return DocumentStore(SCHEMA, DocumentLimits(**limits))  # pyright: ignore[reportArgumentType]


def codes(errors: tuple[GraphQLError, ...]) -> list[object]:
    return [(error.extensions or {}).get("code") for error in errors]


def test_a_document_is_prepared_once_and_then_found_by_its_hash() -> None:
    documents = store()
    first = documents.prepare("{ aiModels { name } }")
    again = documents.prepare("{ aiModels { name } }")
    assert again is first
    assert (documents.stats.parsed, documents.stats.hits) == (1, 1)
    assert first.runnable
    assert first.operations[0].kind is OperationType.QUERY
    assert first.cache_document is not None
    assert first.cache_document.normalized == "{\n  aiModels {\n    name\n  }\n}"


def test_too_many_tokens_are_refused_without_parsing() -> None:
    documents = store(max_tokens=50)
    hostile = "{ __typename " + "@include(if:true) " * 5_500 + "}"
    refused = documents.prepare(hostile)
    assert documents.stats.parsed == 0
    assert refused.ast is None
    assert codes(refused.errors) == ["TOKEN_LIMIT_EXCEEDED"]
    assert "more than 50 tokens" in refused.errors[0].message
    assert documents.prepare(hostile) is refused  # remembered: the next refusal is a lookup


def test_the_token_count_stops_past_the_limit() -> None:
    assert count_tokens("{ a b c }", 100) == 5
    assert count_tokens("{ a # note\n b }", 100) == 5  # comments count
    assert count_tokens("{ " + "a " * 10_000 + "}", 10) == 11


def test_syntax_and_validation_errors_carry_codes() -> None:
    documents = store()
    broken = documents.prepare("{ aiModels { name }")
    unknown = documents.prepare("{ nonsense }")
    bad_enum = documents.prepare("{ projects(sort: SIDEWAYS) { nodes { id } } }")
    assert codes(broken.errors) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(unknown.errors) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes(bad_enum.errors) == ["GRAPHQL_VALIDATION_FAILED"]
    assert not broken.runnable
    assert not unknown.runnable


def test_suggestions_can_be_left_out() -> None:
    shown = store().prepare("{ aiModel { name } }").errors[0].message
    hidden = store(suggestions=False).prepare("{ aiModel { name } }").errors[0].message
    assert "Did you mean" in shown
    assert "Did you mean" not in hidden


def test_introspection_can_be_refused_and_typename_still_works() -> None:
    closed = store(introspection=False)
    refused = closed.prepare("{ __schema { types { name } } }")
    assert set(codes(refused.errors)) == {"INTROSPECTION_DISABLED"}
    assert closed.prepare("{ __typename }").runnable


def test_depth_and_aliases_are_limited_with_codes() -> None:
    documents = store(max_depth=2, max_aliases=2)
    fine = documents.prepare("{ projects { nodes { id } } }")
    deep = documents.prepare("{ projects { nodes { owner { name } } } }")
    aliased = documents.prepare("{ a: __typename b: __typename c: __typename }")
    assert fine.runnable
    assert codes(deep.errors) == ["DEPTH_LIMIT_EXCEEDED"]
    assert deep.errors[0].extensions == {"code": "DEPTH_LIMIT_EXCEEDED", "depth": 3, "limit": 2}
    assert codes(aliased.errors) == ["ALIAS_LIMIT_EXCEEDED"]


def test_fragments_inside_fragments_are_measured_once_each() -> None:
    """40 fragments each spreading the next twice expand to 2**40 fields: the aliases are
    counted (and refused) without walking the expansion."""
    fragments = "".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n" for i in range(40)
    )
    document = "{ ...F0 }\n" + fragments + "fragment F40 on Query { a: __typename }"
    refused = store(max_tokens=10_000).prepare(document)
    assert codes(refused.errors) == ["ALIAS_LIMIT_EXCEEDED"]
    assert refused.errors[0].extensions is not None
    assert refused.errors[0].extensions["aliases"] == 2**40


def test_fragments_spread_into_one_selection_are_limited() -> None:
    """Validation compares them pairwise: 150 in one selection set cost ~0.25 s of CPU."""
    spreads = " ".join(f"...F{i}" for i in range(31))
    fragments = " ".join(f"fragment F{i} on Query {{ aiModels {{ name }} }}" for i in range(31))
    refused = store().prepare(f"{{ {spreads} }} {fragments}")
    assert refused.errors[0].extensions == {
        "code": "FRAGMENT_LIMIT_EXCEEDED",
        "spreads": 31,
        "limit": 30,
    }
    nested = store().prepare(  # inline fragments merge into their selection set; fields don't
        "{ ... on Query { ...A } ...A aiModels { ...M ...M } } "
        "fragment A on Query { __typename } fragment M on AiModel { name }"
    )
    assert nested.runnable
    assert store(max_spreads=2).prepare(
        "{ ... on Query { ...A } ...A ...A } fragment A on Query { __typename }"
    ).errors[0].extensions == {"code": "FRAGMENT_LIMIT_EXCEEDED", "spreads": 3, "limit": 2}


def test_cost_counts_pages_times_the_lists_around_them() -> None:
    documents = store()
    operation = documents.prepare(PAGES).operation(None)
    assert operation.cost.evaluate() == 100 + 100 * 100 + 100 * 100
    with pytest.raises(GraphQLErrors) as refused:
        documents.admit(documents.prepare(PAGES), None, None)
    error = refused.value.graphql_errors[0]
    assert error.extensions == {"code": "COST_LIMIT_EXCEEDED", "cost": 20_100, "limit": 5_000}
    assert "20100" in error.message
    assert "5000" in error.message


def test_omitted_page_sizes_count_their_defaults() -> None:
    query = "{ projects { nodes { files { nodes { path } } messages { nodes { id } } } } }"
    assert store().prepare(query).operation(None).cost.evaluate() == 20 + 20 * (20 + 20)


def test_page_sizes_from_variables_count_their_values() -> None:
    query = "query ($n: Int = 5) { projects(first: $n) { nodes { collaborators { role } } } }"
    cost = store().prepare(query).operation(None).cost
    assert cost.evaluate({}) == 5 + 5 * 20  # the variable's default; lists count 20
    assert cost.evaluate({"n": 50}) == 50 + 50 * 20
    assert cost.evaluate({"n": "not a number"}) == 5 + 5 * 20


def test_single_objects_and_introspection_are_free() -> None:
    query = (
        "{ me { name } dashboard(first: 3) { dreams { owner { name } } } "
        "__schema { types { name } } }"
    )
    assert store().prepare(query).operation(None).cost.evaluate() == 3


def test_several_operations_need_an_operation_name() -> None:
    document = store().prepare("query A { __typename } query B { __typename }")
    with pytest.raises(OperationNameRequiredError, match="A, B"):
        document.operation(None)
    with pytest.raises(OperationNotFoundError):
        document.operation("C")
    assert document.operation("B").name == "B"


def test_variables_that_do_not_coerce_are_the_clients_mistake() -> None:
    documents = store()
    document = documents.prepare("query ($days: Int!) { modelComparison(days: $days) { model } }")
    with pytest.raises(GraphQLErrors) as refused:
        documents.admit(document, None, {"days": 2**31})
    assert codes(refused.value.graphql_errors) == ["BAD_USER_INPUT"]
    admitted = documents.admit(document, None, {"days": 7})
    assert admitted.variables == {"days": 7}


def test_the_memo_is_bounded_by_entries_and_characters() -> None:
    documents = DocumentStore(SCHEMA, DocumentLimits(), max_entries=2, max_chars=1_000)
    first = documents.prepare("{ a: __typename }")
    documents.prepare("{ b: __typename }")
    documents.prepare("{ c: __typename }")
    assert documents.prepare("{ a: __typename }") is not first
    big = "{ __typename }" + " " * 2_000
    assert documents.prepare(big) is not documents.prepare(big)  # too big to keep


def test_trusted_documents_are_named_by_the_sha256_of_their_text() -> None:
    text = "query Q { __typename }"
    trusted = TrustedDocuments({TrustedDocuments.hash_of(text): text})
    assert trusted.get(TrustedDocuments.hash_of(text)) == text
    assert TrustedDocuments.hash_of(text).upper() in trusted
    assert trusted.get("0" * 64) is None
    with pytest.raises(TrustedDocumentsError, match="not the sha256"):
        TrustedDocuments({"d41d8cd98f00b204e9800998ecf8427e": text})  # an md5, as Relay's
