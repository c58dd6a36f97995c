"""Issue 9, item 7: one anonymous client could stall the server with documents.

A 99 KB document of 5,500 directives cost ~790 ms of CPU to refuse, twice per request, and
100 projects x (100 files + 100 messages) was accepted. Now the token limit is checked by the
lexer before anything is parsed, every document is parsed once per process (never again by
Strawberry), and an operation's estimated size is limited, with a code and the figures.
"""

from __future__ import annotations

import pytest
from graphql import DocumentNode
from graphql.language.parser import Parser

from api.schema import schema
from orm.runtime.types import JsonValue
from tests.api.conftest import RunApi
from tests.reliability.api_fixtures import (
    api_database,
    domain_database,
    redis_prefix,
    run_api,
    settings,
)

__all__ = ["api_database", "domain_database", "redis_prefix", "run_api", "settings"]

DIRECTIVES = "{ hello " + "@include(if:true) " * 5_499 + "}"  # 99 KB

PAGES = """{ projects(first: 100) { edges { node {
  files(first: 100) { edges { node { path } } }
  messages(first: 100) { edges { node { content } } } } } } }"""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every document graphql-core parses while the test runs (whoever asks)."""
    parsed: list[str] = []
    original = Parser.parse_document

    def counting(parser: Parser) -> DocumentNode:
        parsed.append(parser._lexer.source.body)  # pyright: ignore[reportPrivateUsage]
        return original(parser)

    monkeypatch.setattr(Parser, "parse_document", counting)
    return parsed


def code_of(response_json: JsonValue) -> JsonValue:
    return response_json["errors"][0]["extensions"]["code"]


async def test_a_99_kb_document_of_directives_is_refused_without_being_parsed(
    run_api: RunApi, parses: list[str]
) -> None:
    assert 98_000 < len(DIRECTIVES) < 100_000
    async with run_api() as api:
        responses = [await api.query(DIRECTIVES) for _ in range(2)]
        fine = await api.query("{ hello }")
    for response in responses:
        assert response.status_code == 200
        assert code_of(response.json()) == "TOKEN_LIMIT_EXCEEDED"
        assert "more than 2000 tokens" in response.json()["errors"][0]["message"]
    assert DIRECTIVES not in parses  # refused by counting tokens, never parsed
    assert fine.json() == {"data": {"hello": "world"}}


async def test_a_document_is_parsed_once_however_often_it_is_sent(
    run_api: RunApi, parses: list[str]
) -> None:
    query = "query Once { hello nested { child { leaf } } }"
    async with run_api() as api:
        answers = [await api.query(query, extensions={"cache": False}) for _ in range(3)]
    assert all(a.json() == answers[0].json() for a in answers)
    assert "errors" not in answers[0].json()
    assert parses.count(query) == 1  # the endpoint's preparation; Strawberry reuses its tree


async def test_an_operation_asking_for_too_many_items_is_refused_with_its_cost(
    run_api: RunApi, domain_database: str
) -> None:
    async with run_api(schema=schema, database_url=domain_database) as api:
        refused = await api.query(PAGES)
        smaller = await api.query(PAGES.replace("first: 100", "first: 10"))
    error = refused.json()["errors"][0]
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 20_100, "limit": 5_000}
    assert "20100" in error["message"]
    assert "5000" in error["message"]
    assert refused.json()["data"] is None
    assert "errors" not in smaller.json()


async def test_omitted_and_variable_page_sizes_count_too(
    run_api: RunApi, domain_database: str
) -> None:
    omitted = "{ projects { nodes { files { nodes { path } } messages { nodes { id } } } } }"
    variable = "query ($n: Int) { projects(first: $n) { nodes { files { nodes { path } } } } }"
    async with run_api(schema=schema, database_url=domain_database, max_query_cost=500) as api:
        defaults = await api.query(omitted)  # 20 + 20 x (20 + 20) = 820
        small = await api.query(variable, {"n": 5})  # 5 + 5 x 20 = 105
        large = await api.query(variable, {"n": 50})  # 50 + 50 x 20 = 1,050
    assert defaults.json()["errors"][0]["extensions"]["cost"] == 820
    assert "errors" not in small.json()
    assert large.json()["errors"][0]["extensions"]["cost"] == 1_050


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ hello", "GRAPHQL_PARSE_FAILED"),
        ("{ nonsense }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ nested { child { child { child { child { leaf } } } } } }", "DEPTH_LIMIT_EXCEEDED"),
        ("{ a: hello b: hello c: hello d: hello }", "ALIAS_LIMIT_EXCEEDED"),
        ("{ " + "hello " * 30 + "}", "TOKEN_LIMIT_EXCEEDED"),
        (
            "{ ...A ...A ...A ...A } fragment A on Query { hello }",
            "FRAGMENT_LIMIT_EXCEEDED",
        ),
    ],
)
async def test_every_refused_document_says_why_with_a_code(
    run_api: RunApi, query: str, code: str
) -> None:
    limits = {"max_query_depth": 3, "max_aliases": 3, "max_tokens": 20, "max_fragment_spreads": 3}
    async with run_api(**limits) as api:
        response = await api.query(query)
    assert response.status_code == 200
    assert code_of(response.json()) == code


async def test_an_unknown_enum_literal_has_a_code(run_api: RunApi, domain_database: str) -> None:
    async with run_api(schema=schema, database_url=domain_database) as api:
        response = await api.query("{ projects(sort: SIDEWAYS) { nodes { id } } }")
    assert code_of(response.json()) == "GRAPHQL_VALIDATION_FAILED"


async def test_prepared_documents_are_shared_by_requests(run_api: RunApi) -> None:
    async with run_api() as api:
        documents = api.services.documents
        for _ in range(3):
            await api.query("{ hello }", extensions={"cache": False})
        stats = documents.stats
    assert (stats.misses, stats.hits) == (1, 2)
