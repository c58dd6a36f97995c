"""Issue 9, item 8: client mistakes gave 500s, dropped connections and masked errors.

A lone surrogate in an ID variable was a 500 (its cache tag can't be encoded), JSON nested
2,000 deep an uncaught RecursionError, variables of the wrong type "Unexpected error", and a
document with several operations silently ran the first. Every client mistake is now a 4xx or
a GraphQL error with an `extensions.code`, and the server log keeps tracebacks for server
faults only. The last test sends a few hundred generated hostile requests (fixed seed).
"""

from __future__ import annotations

import json
import logging
import random

import httpx
import pytest

from api.extensions.masking import MASKED_MESSAGE
from api.schema import schema
from orm.runtime.types import JsonValue
from tests.api.conftest import Api, RunApi
from tests.api.domain_fixtures import ALICE, Seed
from tests.reliability.api_fixtures import (
    api_database,
    domain_api,
    domain_database,
    redis_prefix,
    run_api,
    settings,
)

__all__ = ["api_database", "domain_api", "domain_database", "redis_prefix", "run_api", "settings"]

LONE = "a\\ud800b"  # valid JSON; decodes to a string no UTF-8 encoding exists for
CLIENT_STATUSES = {200, 400, 403, 404, 405, 413, 415}


async def post_raw(api: Api, body: str | bytes, *, user: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if user:
        headers["Authorization"] = f"Bearer {user}-token"
    content = body.encode() if isinstance(body, str) else body
    return await api.client.post("/graphql", content=content, headers=headers)


def codes(response: httpx.Response) -> list[JsonValue]:
    errors: list[JsonValue] = response.json().get("errors") or []
    return [error.get("extensions", {}).get("code") for error in errors]


def assert_client_mistake(response: httpx.Response) -> None:
    """A 4xx, or a 200 whose errors each carry a code; never a masked server error."""
    assert response.status_code in CLIENT_STATUSES, (response.status_code, response.text)
    errors: list[JsonValue] = response.json().get("errors") or []
    for error in errors:
        assert error.get("extensions", {}).get("code"), error
        assert error["message"] != MASKED_MESSAGE, error


async def test_a_lone_surrogate_in_an_id_reads_as_not_found(domain_api: Api) -> None:
    read = (
        json.dumps({"query": "query ($id: ID!) { dream(id: $id) { id } project(id: $id) { id } }"})[
            :-1
        ]
        + f', "variables": {{"id": "{LONE}"}}}}'
    )
    like = json.dumps({"query": "mutation ($id: ID!) { likeProject(id: $id) { project { id } } }"})
    like = like[:-1] + f', "variables": {{"id": "{LONE}"}}}}'

    reads = [await post_raw(domain_api, read) for _ in range(2)]  # the second: a cache hit
    liked = await post_raw(domain_api, like, user="alice")

    assert [r.json() for r in reads] == [{"data": {"dream": None, "project": None}}] * 2
    assert codes(liked) == ["NOT_FOUND"]


async def test_a_lone_surrogate_in_the_document_or_its_name_is_a_400(run_api: RunApi) -> None:
    async with run_api() as api:
        in_document = await post_raw(api, '{"query": "{ hello } # ' + LONE + '"}')
        in_name = await post_raw(api, '{"query": "{ hello }", "operationName": "' + LONE + '"}')
    for response in (in_document, in_name):
        assert response.status_code == 400
        assert codes(response) == ["BAD_REQUEST"]
        assert "surrogate" in response.json()["errors"][0]["message"]


async def test_json_nested_2000_deep_is_a_400(run_api: RunApi) -> None:
    deep = '{"query": "{ hello }", "variables": {"x": ' + "[" * 2_000 + "]" * 2_000 + "}}"
    fairly_deep = '{"query": "{ hello }", "variables": {"x": ' + "[" * 100 + "]" * 100 + "}}"
    async with run_api() as api:
        responses = [await post_raw(api, body) for body in (deep, fairly_deep)]
        get = await api.client.get(
            "/graphql",
            params={"query": "{ hello }", "variables": '{"x": ' + "[" * 2_000 + "]" * 2_000 + "}"},
            headers={"Accept": "application/json"},
        )
    for response in (*responses, get):
        assert response.status_code == 400, response.text
        assert "nested too deeply" in response.json()["errors"][0]["message"]


RECORD_TEST = (
    "mutation ($input: RecordAiTestInput!) { recordAiTest(input: $input) { aiTest { id } } }"
)
_TEST_INPUT: dict[str, JsonValue] = {
    "dreamId": "00000000-0000-0000-0000-000000000000",
    "provider": "OPENAI",
    "model": "gpt-4o",
    "impossibilityScore": 50,
    "confidence": 50,
    "reasoning": "",
    "durationMs": 10,
    "tokensUsed": 10,
    "cost": "0.01",
}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query ($days: Int!) { modelComparison(days: $days) { model } }", {"days": "seven"}),
        ("query ($days: Int!) { modelComparison(days: $days) { model } }", {"days": 2**31}),
        ("query ($days: Int!) { modelComparison(days: $days) { model } }", {"days": 1.5}),
        ("query ($s: ProjectSort!) { projects(sort: $s) { nodes { id } } }", {"s": "SIDEWAYS"}),
        (
            "query ($from: DateTime) { tokenUsage(groupBy: MODEL, from: $from) { key } }",
            {"from": "yesterday"},
        ),
        ("query ($id: ID!) { dream(id: $id) { id } }", {"id": {"nested": True}}),
        ("query ($id: ID!) { dream(id: $id) { id } }", {}),
        (RECORD_TEST, {"input": {**_TEST_INPUT, "cost": "a lot"}}),
        (RECORD_TEST, {"input": {**_TEST_INPUT, "provider": "SKYNET"}}),
        (RECORD_TEST, {"input": {**_TEST_INPUT, "impossibilityScore": "high"}}),
    ],
)
async def test_variables_that_do_not_coerce_are_the_clients_mistake(
    domain_api: Api, query: str, variables: dict[str, JsonValue], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = await domain_api.query(query, variables, user="alice")
    assert response.status_code == 200
    assert codes(response) == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["message"] != MASKED_MESSAGE
    assert response.json()["data"] is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_several_operations_and_no_operation_name_is_a_400(run_api: RunApi) -> None:
    document = 'query First { hello } mutation Second { bump(name: "multi") }'
    async with run_api() as api:
        ambiguous = await api.query(document)
        named = await api.query(document, operationName="First")
        unknown = await api.query(document, operationName="Third")
    assert ambiguous.status_code == 400
    assert codes(ambiguous) == ["OPERATION_NAME_REQUIRED"]
    assert "First, Second" in ambiguous.json()["errors"][0]["message"]
    assert named.json() == {"data": {"hello": "world"}}
    assert (unknown.status_code, codes(unknown)) == (400, ["OPERATION_NOT_FOUND"])


async def test_the_log_keeps_tracebacks_for_server_faults_only(
    run_api: RunApi, caplog: pytest.LogCaptureFixture
) -> None:
    async with run_api() as api:
        with caplog.at_level(logging.INFO):
            for query in ("{ missing }", "{ nonsense }", "{ hello", "query A { hello } {hello}"):
                await api.query(query)
        mistakes = [r for r in caplog.records if r.levelno >= logging.ERROR]
        caplog.clear()
        with caplog.at_level(logging.INFO):
            fault = await api.query("{ broken }")
        faults = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert mistakes == []
    assert fault.json()["errors"][0]["message"] == MASKED_MESSAGE
    assert len(faults) == 1
    assert faults[0].exc_info is not None


# -- generated hostile requests ---------------------------------------------------------------

DOCUMENTS = (
    "query ($id: ID!) { dream(id: $id) { id title aiTests(first: 2) { nodes { id } } } }",
    "query ($first: Int, $after: String) { dreams(first: $first, after: $after) "
    "{ nodes { id } pageInfo { endCursor } } }",
    "query ($s: ProjectSort!, $f: ProjectFilterInput) { projects(sort: $s, filter: $f) "
    "{ nodes { id likes } } }",
    "query ($g: UsageGroupBy!, $from: DateTime, $to: DateTime) "
    "{ tokenUsage(groupBy: $g, from: $from, to: $to) { key cost } }",
    "query ($days: Int!) { modelComparison(days: $days) { model testCount } }",
    "mutation ($input: CreateDreamInput!) { createDream(input: $input) { dream { id } } }",
    "mutation ($id: ID!) { likeProject(id: $id) { project { likes } } }",
    "query ($t: Float!) { budgetAlerts(threshold: $t) { spent } }",
)


def hostile_value(rng: random.Random, depth: int = 0) -> JsonValue:
    pick = rng.randrange(16 if depth < 3 else 12)
    simple: list[JsonValue] = [
        None,
        True,
        rng.choice([0, -1, 1, 2**31, -(2**31) - 1, 2**63, 10**30]),
        rng.choice([0.5, -1e308, 1e308, 3.0]),
        "",
        "\x00",
        "\ud800",
        "a\udfffb",
        "x" * rng.choice([1, 300, 20_000]),
        rng.choice(["SIDEWAYS", "TRENDING", "MODEL", "2024-02-30T25:61:00Z", "2024-01-01"]),
        rng.choice(["😀", "\u202e", "' OR 1=1 --", "${jndi:x}", "<script>"]),
        rng.choice(["ZHJlYW06MQ==", "cursor:xyz", "-1", "1e9"]),
    ]
    if pick < len(simple):
        return simple[pick]
    if pick % 2:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["title", "originalPrompt", "category", "tags", "isPublic", "mine", "search", "q"]
    return {rng.choice(keys): hostile_value(rng, depth + 1) for _ in range(rng.randrange(5))}


def hostile_body(rng: random.Random) -> str | bytes:
    document = rng.choice(DOCUMENTS)
    names = [part.split(":")[0].strip() for part in document.split("$")[1:] if ":" in part]
    variables = {name: hostile_value(rng) for name in names if rng.random() < 0.9}
    body: dict[str, JsonValue] = {"query": document, "variables": variables}
    roll = rng.random()
    if roll < 0.1:
        body["query"] = document[: rng.randrange(len(document))]  # truncated
    elif roll < 0.15:
        body["operationName"] = rng.choice(["Nope", "", "\x00", 7])
    elif roll < 0.2:
        body["variables"] = hostile_value(rng)
    elif roll < 0.25:
        body["extensions"] = {"persistedQuery": {"sha256Hash": rng.choice(["0" * 64, 5])}}
    elif roll < 0.3:
        body["query"] = rng.choice([None, 42, ["{ __typename }"], {"q": 1}])
    text = json.dumps(body, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.05:
        return text[: rng.randrange(len(text))]  # not JSON
    return text.encode("utf-8", "surrogatepass")


async def test_generated_hostile_requests_get_client_errors_only(
    run_api: RunApi, domain_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(9)
    async with run_api(schema=schema, database_url=domain_database) as api:
        with caplog.at_level(logging.WARNING):
            for index in range(300):
                body = hostile_body(rng)
                response = await post_raw(api, body, user="alice" if index % 2 else None)
                assert_client_mistake(response)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


@pytest.mark.parametrize("user", [None, "alice"])
async def test_a_field_error_in_one_branch_leaves_the_others_their_shared_loads(
    domain_api: Api, user: str | None
) -> None:
    # `b`'s cursor error nulls the (non-null) root while the owners are loading; graphql-core
    # cancels the pending fields, which must not cancel the loads other fields share: this was
    # a CancelledError out of the endpoint (no response at all).
    seed = Seed(domain_api.services.db)
    for i in range(3):
        await seed.ai_tests(await seed.dream(ALICE, f"Dream {i}", public=True), ALICE, [90, 80])
    query = """{
      a: dreams(first: 5) { edges { node { title owner { name } } } }
      b: dreams(first: 5) { edges { node { owner { name } aiTests(first: 1, after: "bad") {
        edges { cursor } } } } }
    }"""

    for _ in range(3):  # the first request warms caches (auth, plans) and runs slower
        response = await domain_api.query(query, user=user, extensions={"cache": False})

        assert response.status_code == 200
        errors = response.json()["errors"]
        assert [(e["extensions"]["code"], e["path"]) for e in errors] == [
            ("VALIDATION_ERROR", ["b", "edges", 0, "node", "aiTests"])
        ]
