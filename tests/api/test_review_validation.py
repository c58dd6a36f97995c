"""Review: input PostgreSQL can't hold, crafted cursors and out-of-range numbers get field
errors (VALIDATION_ERROR, or null / NOT_FOUND for ids), never the masked "Unexpected error"."""

from __future__ import annotations

import base64
import json
from typing import cast

import httpx
import pytest

from orm.runtime.types import JsonValue
from tests.api import domain_fixtures
from tests.api.conftest import TOKENS, Api
from tests.api.domain_fixtures import ALICE, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

NUL = "a\x00b"
CREATE_DREAM = """
mutation ($title: String!, $tags: [String!]! = []) {
  createDream(input: {title: $title, originalPrompt: "x", tags: $tags}) { dream { id } }
}
"""


def _cursor(items: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(items).encode()).decode().rstrip("=")


def _field_error(response: httpx.Response) -> dict[str, JsonValue]:
    errors = errors_of(response)
    assert len(errors) == 1, errors
    extensions = errors[0].get("extensions")
    assert isinstance(extensions, dict), errors[0]
    return cast("dict[str, JsonValue]", extensions)


async def _raw(api: Api, body: bytes, *, user: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if user:
        headers["Authorization"] = f"Bearer {TOKENS[user]}"
    return await api.client.post("/graphql", content=body, headers=headers)


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (CREATE_DREAM, {"title": NUL}, "title"),
        (CREATE_DREAM, {"title": "ok", "tags": [NUL]}, "tags"),
        (
            "query ($s: String!) { projects(filter: {search: $s}) { edges { node { id } } } }",
            {"s": NUL},
            "search",
        ),
        (
            "query ($t: String!) { dreams(filter: {tags: [$t]}) { edges { node { id } } } }",
            {"t": NUL},
            "filter.tags",
        ),
        (
            "query ($o: ID!) { dreams(filter: {ownerId: $o}) { edges { node { id } } } }",
            {"o": NUL},
            "filter.ownerId",
        ),
        (
            "query ($o: ID!) { projects(filter: {ownerId: $o}) { edges { node { id } } } }",
            {"o": NUL},
            "filter.ownerId",
        ),
        (
            'mutation ($m: String!) { recordTokenUsage(input: {endpoint: "e", model: $m, '
            'promptTokens: 1, completionTokens: 1, cost: "0.1"}) { id } }',
            {"m": NUL},
            "model",
        ),
    ],
)
async def test_a_nul_character_is_a_field_error(
    domain_api: Api, query: str, variables: dict[str, object], field: str
) -> None:
    response = await domain_api.query(query, variables, user="alice")

    assert _field_error(response) == {"code": "VALIDATION_ERROR", "field": field}


async def test_nul_in_project_writes_and_test_models_is_a_field_error(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE)
    dream = await seed.dream(ALICE)
    file = """mutation ($p: ID!, $c: String!) {
      addProjectFile(input: {projectId: $p, path: "a.ts", content: $c, language: "ts"}) {
        file { id } } }"""
    message = """mutation ($p: ID!, $c: String!) {
      postMessage(input: {projectId: $p, content: $c}) { message { id } } }"""
    test = """mutation ($d: ID!, $m: String!) {
      recordAiTest(input: {dreamId: $d, provider: OPENAI, model: $m, impossibilityScore: 5,
        confidence: 50}) { aiTest { id } } }"""

    responses = {
        "content": await domain_api.query(file, {"p": project, "c": NUL}, user="alice"),
        "content ": await domain_api.query(message, {"p": project, "c": NUL}, user="alice"),
        "model": await domain_api.query(test, {"d": dream, "m": NUL}, user="alice"),
    }

    for field, response in responses.items():
        assert _field_error(response) == {"code": "VALIDATION_ERROR", "field": field.strip()}


async def test_an_unpaired_surrogate_is_a_field_error(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE)
    title = json.dumps({"query": CREATE_DREAM, "variables": {"title": "PLACEHOLDER"}})
    file = json.dumps(
        {
            "query": "mutation ($p: ID!, $c: String!) { addProjectFile(input: {projectId: $p, "
            'path: "a.ts", content: $c, language: "ts"}) { file { id } } }',
            "variables": {"p": project, "c": "PLACEHOLDER"},
        }
    )
    lone = "a\\ud800b"  # valid JSON, but no UTF-8 encoding exists for it

    by_title = await _raw(domain_api, title.replace("PLACEHOLDER", lone).encode(), user="alice")
    by_file = await _raw(domain_api, file.replace("PLACEHOLDER", lone).encode(), user="alice")

    assert _field_error(by_title) == {"code": "VALIDATION_ERROR", "field": "title"}
    assert _field_error(by_file) == {"code": "VALIDATION_ERROR", "field": "content"}


async def test_an_id_that_cannot_exist_reads_as_null_without_failing_its_siblings(
    domain_api: Api,
) -> None:
    seed = Seed(domain_api.services.db)
    dream = await seed.dream(ALICE, "Visible", public=True)
    project = await seed.project(ALICE, "Listed")
    query = """query ($bad: ID!, $dream: ID!, $project: ID!) {
      bad: dream(id: $bad) { id } good: dream(id: $dream) { title owner { name } }
      badProject: project(id: $bad) { id } goodProject: project(id: $project) { name } }"""

    response = await domain_api.query(query, {"bad": NUL, "dream": dream, "project": project})

    assert data_of(response) == {
        "bad": None,
        "good": {"title": "Visible", "owner": {"name": "Alice"}},
        "badProject": None,
        "goodProject": {"name": "Listed"},
    }


@pytest.mark.parametrize(
    "mutation",
    [
        'mutation ($id: ID!) { updateDream(id: $id, input: {title: "x"}) { dream { id } } }',
        "mutation ($id: ID!) { archiveDream(id: $id) { dream { id } } }",
        "mutation ($id: ID!) { recordAiTest(input: {dreamId: $id, provider: OPENAI, "
        'model: "m", impossibilityScore: 5, confidence: 50}) { aiTest { id } } }',
        "mutation ($id: ID!) { likeProject(id: $id) { project { id } } }",
        'mutation ($id: ID!) { updateProject(id: $id, input: {name: "x"}) { project { id } } }',
        "mutation ($id: ID!) { postMessage(input: {projectId: $id, content: 'x'}) "
        "{ message { id } } }".replace("'", '"'),
        'mutation ($id: ID!) { recordTokenUsage(input: {endpoint: "e", model: "m", '
        'promptTokens: 1, completionTokens: 1, cost: "0.1", projectId: $id}) { id } }',
    ],
)
async def test_writes_to_an_id_that_cannot_exist_are_not_found(
    domain_api: Api, mutation: str
) -> None:
    response = await domain_api.query(mutation, {"id": NUL}, user="alice")

    assert _field_error(response)["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("field", "sort", "cursor"),
    [
        ("projects", "TRENDING", ["TRENDING", 2**40, "x"]),
        ("projects", "TRENDING", ["TRENDING", 2**70, "x"]),
        ("projects", "RECENT", ["RECENT", "2020-01-01T00:00:00", "x"]),
        ("dreams", "RECENT", ["RECENT", "0001-01-01T00:00:00+14:00", "x"]),
        ("dreams", "RECENT", ["RECENT", "9999-12-31T23:59:59-14:00", "x"]),
        ("dreams", "RECENT", ["RECENT", "2020-01-01T00:00:00+00:00", NUL]),
    ],
)
async def test_crafted_cursors_are_field_errors(
    domain_api: Api, field: str, sort: str, cursor: list[object]
) -> None:
    query = f"query ($a: String!) {{ {field}(sort: {sort}, after: $a) {{ edges {{ cursor }} }} }}"

    response = await domain_api.query(query, {"a": _cursor(cursor)})

    assert _field_error(response) == {"code": "VALIDATION_ERROR", "field": "after"}


async def test_a_crafted_message_cursor_is_a_field_error(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE)
    query = """query ($id: ID!, $a: String!) {
      project(id: $id) { messages(after: $a) { edges { cursor } } } }"""
    cursor = _cursor(["NEWEST", "2020-01-01T00:00:00+00:00", NUL])

    response = await domain_api.query(query, {"id": project, "a": cursor})

    assert _field_error(response) == {"code": "VALIDATION_ERROR", "field": "after"}


async def test_an_endcursor_still_pages(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    for views in (3, 2, 1):
        await seed.project(ALICE, f"p{views}", views=views)
    query = """query ($a: String) { projects(sort: TRENDING, first: 1, after: $a) {
      edges { node { name } } pageInfo { endCursor } } }"""

    first = data_of(await domain_api.query(query))["projects"]
    second = data_of(await domain_api.query(query, {"a": first["pageInfo"]["endCursor"]}))

    assert second["projects"]["edges"] == [{"node": {"name": "p2"}}]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ('from: "9999-12-31T00:00:00Z", to: "9999-12-31T23:00:00-14:00"', "to"),
        ('from: "0001-01-01T00:00:00+14:00", to: "0001-01-10T00:00:00Z"', "from"),
        ('to: "0001-01-05T00:00:00Z"', "to"),
        ('to: "2026-01-05T00:00:00"', "to"),
    ],
)
async def test_usage_ranges_outside_utc_are_field_errors(
    domain_api: Api, arguments: str, field: str
) -> None:
    response = await domain_api.query(
        f"{{ tokenUsage(groupBy: DAY, {arguments}) {{ key }} }}", user="alice"
    )

    assert _field_error(response) == {"code": "VALIDATION_ERROR", "field": field}


async def test_token_totals_beyond_the_column_are_a_field_error(domain_api: Api) -> None:
    mutation = """mutation { recordTokenUsage(input: {endpoint: "chat", model: "m",
      promptTokens: 2147483647, completionTokens: 1, cost: "1"}) { id } }"""

    response = await domain_api.query(mutation, user="alice")

    assert _field_error(response) == {"code": "VALIDATION_ERROR", "field": "completionTokens"}
