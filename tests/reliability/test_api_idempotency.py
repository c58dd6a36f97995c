"""Issue 9, item 4: usage charged twice. A client retrying `recordTokenUsage` or `recordAiTest`
(or `createDream`) after a lost response recorded it again. With an idempotency key
(`Idempotency-Key` header or the input's `idempotencyKey`) a retry answers the first result, in
any API process, and concurrent retries record exactly once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.schema import schema
from tests.api.conftest import TOKENS, Api, RunApi
from tests.api.domain_fixtures import ALICE, DOMAIN_TABLES, Seed
from tests.reliability.api_fixtures import (
    api_database,
    domain_database,
    redis_prefix,
    run_api,
    settings,
)
from tests.reliability.servers import StartApi, api_processes

__all__ = [
    "api_database",
    "api_processes",
    "domain_database",
    "redis_prefix",
    "run_api",
    "settings",
]

USAGE = """mutation ($cost: Money!, $key: String) {
  recordTokenUsage(input: {endpoint: "chat", model: "gpt-4o", promptTokens: 10,
    completionTokens: 5, cost: $cost, idempotencyKey: $key}) { id totalTokens cost timestamp }
}"""
TEST = """mutation ($dream: ID!, $key: String) {
  recordAiTest(input: {dreamId: $dream, provider: OPENAI, model: "gpt-4o",
    impossibilityScore: 40, confidence: 80, cost: "0.01", idempotencyKey: $key}) {
    aiTest { id impossibilityScore } progress { id testCount averageImpossibility }
  }
}"""


@pytest.fixture
async def api(run_api: RunApi, domain_database: str) -> AsyncGenerator[Api]:
    """The domain app with a pool big enough for twenty racing requests."""
    async with run_api(schema=schema, database_url=domain_database, db_connection_limit=25) as api:
        await api.services.db.execute_raw(f"TRUNCATE {DOMAIN_TABLES} CASCADE")
        yield api


async def post(
    api: Api, query: str, variables: dict[str, object], key: str | None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {TOKENS['alice']}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return await api.client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


async def usage_rows(api: Api) -> int:
    row = await api.services.db.query_first("SELECT count(*) AS n FROM token_usage")
    assert row is not None
    return int(row["n"])


async def test_a_retried_usage_record_with_a_key_is_recorded_once(api: Api) -> None:
    key = str(uuid.uuid4())
    first = await post(api, USAGE, {"cost": "0.5"}, key)
    again = await post(api, USAGE, {"cost": "0.5"}, key)
    by_input = await post(api, USAGE, {"cost": "0.5", "key": key}, None)
    assert "errors" not in first.json(), first.json()
    assert again.json() == first.json() == by_input.json()
    assert await usage_rows(api) == 1
    assert "errors" not in (await post(api, USAGE, {"cost": "0.5"}, None)).json()
    assert await usage_rows(api) == 2  # without a key, every request records


async def test_a_key_reused_with_other_input_is_refused(api: Api) -> None:
    key = str(uuid.uuid4())
    await post(api, USAGE, {"cost": "0.5"}, key)
    reused = (await post(api, USAGE, {"cost": "0.7"}, key)).json()
    differing = (await post(api, USAGE, {"cost": "0.5", "key": "other"}, key)).json()
    assert reused["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert differing["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert await usage_rows(api) == 1


async def test_racing_retries_record_once_and_answer_alike(api: Api) -> None:
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(post(api, USAGE, {"cost": "0.25"}, key) for _ in range(20)))
    bodies = [a.json() for a in answers]
    assert all("errors" not in b for b in bodies), bodies
    assert all(b == bodies[0] for b in bodies)
    assert await usage_rows(api) == 1


async def test_a_retried_ai_test_is_recorded_once_with_its_first_progress(api: Api) -> None:
    dream = await Seed(api.services.db).dream(ALICE, "Fly")
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(post(api, TEST, {"dream": dream}, key) for _ in range(8)))
    later = await post(api, TEST, {"dream": dream, "key": key}, None)
    bodies = [a.json() for a in (*answers, later)]
    assert all(b == bodies[0] for b in bodies), bodies
    assert bodies[0]["data"]["recordAiTest"]["progress"]["testCount"] == 1
    tests = await api.services.db.aitest.count(where={"dreamId": dream})
    assert tests == 1


CREATE = """mutation ($key: String) {
  createDream(input: {title: "Once", originalPrompt: "p", idempotencyKey: $key}) {
    dream { id title } } }"""


async def test_a_retried_dream_creation_makes_one_dream(api: Api) -> None:
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(post(api, CREATE, {}, key) for _ in range(6)))
    by_input = await post(api, CREATE, {"key": key}, None)
    bodies = [a.json() for a in (*answers, by_input)]
    assert "errors" not in bodies[0], bodies[0]
    assert all(b == bodies[0] for b in bodies)
    assert await api.services.db.dream.count(where={"title": "Once"}) == 1


async def test_a_key_expires_after_a_day(api: Api) -> None:
    key = str(uuid.uuid4())
    first = await post(api, USAGE, {"cost": "0.5"}, key)
    await api.services.db.execute_raw(
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
    )
    second = await post(api, USAGE, {"cost": "0.5"}, key)
    third = await post(api, USAGE, {"cost": "0.5"}, key)
    assert second.json() != first.json()
    assert third.json() == second.json()
    assert await usage_rows(api) == 2


async def test_retries_sent_to_other_api_processes_record_once(
    api: Api, api_processes: StartApi, domain_database: str
) -> None:
    workers = [api_processes({"DATABASE_URL": domain_database}) for _ in range(2)]
    key = str(uuid.uuid4())

    def send(i: int) -> httpx.Response:
        headers = {"Idempotency-Key": key}
        return workers[i % 2].post(USAGE, {"cost": "1.5"}, token=TOKENS["alice"], headers=headers)

    with ThreadPoolExecutor(10) as pool:
        bodies = [r.json() for r in pool.map(send, range(10))]
    assert all("errors" not in b for b in bodies), bodies
    assert all(b == bodies[0] for b in bodies)
    assert await usage_rows(api) == 1
