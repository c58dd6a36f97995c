"""Two real API processes sharing one Redis: one rate limit, one persisted-query registry.

Each viewer may send 5 requests a minute and subscribe to `dreamProgress` twice a minute,
whichever process they reach. Every test uses a viewer of its own (the servers and their
buckets live for the module).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncGenerator

import httpx
import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection

from api.documents import TrustedDocuments
from orm.runtime.types import JsonValue
from tests.api.conftest import TOKENS, redis_keys
from tests.api.servers import WAIT, Server, api_server, socket
from tests.conftest import TEST_REDIS_URL

ME = "query Me {\n  me {\n    name\n  }\n}"
WATCH = 'subscription Watch { dreamProgress(dreamId: "no-such-dream") { point { count } } }'


@pytest.fixture(scope="module")
async def servers(api_database: str) -> AsyncGenerator[tuple[Server, Server]]:
    prefix = f"test:limits:{os.getpid()}:"
    limits = {
        "RATE_LIMIT": "5/minute",
        "RATE_LIMIT_PER_FIELD": "off",
        "RATE_LIMIT_FIELDS": "dreamProgress=2/minute",
    }
    async with (
        api_server(api_database, prefix, **limits) as first,
        api_server(api_database, prefix, **limits) as second,
    ):
        yield first, second
    keys = await redis_keys(prefix)  # persisted queries would live a day
    if keys:
        redis = Redis.from_url(TEST_REDIS_URL)  # pyright: ignore[reportUnknownMemberType]
        await redis.delete(*keys)
        await redis.aclose()


async def test_concurrent_requests_to_two_processes_share_one_limit(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    body = {"query": ME}
    responses = await asyncio.gather(
        *(server.post(body, "alice") for server in (first, second) * 5)
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * 5 + [429] * 5
    for response in responses:
        if response.status_code == 429:
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert 1 <= int(response.headers["Retry-After"]) <= 12  # 5 a minute: one per 12 s
    async with httpx.AsyncClient(timeout=WAIT) as client:
        texts = [(await client.get(f"{s.origin}/metrics")).text for s in servers]
    limited = sum(_sample(text, 'api_rate_limited_total{bucket="all"}') for text in texts)
    assert limited == 5


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def _answer_to(ws: ClientConnection, op_id: str) -> dict[str, JsonValue]:
    """The first message about `op_id` (other operations' messages are skipped)."""
    while True:
        message: dict[str, JsonValue] = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        if message.get("id") == op_id:
            return message


async def test_subscribe_messages_are_limited_across_processes(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    subscribe = {"type": "subscribe", "payload": {"query": WATCH}}
    async with socket(first, TOKENS["bob"]) as one, socket(second, TOKENS["bob"]) as two:
        await one.send(json.dumps({**subscribe, "id": "1"}))
        started = await _answer_to(one, "1")
        await two.send(json.dumps({**subscribe, "id": "2"}))
        also = await _answer_to(two, "2")
        await one.send(json.dumps({**subscribe, "id": "3"}))
        refused = await _answer_to(one, "3")
    for answer in (started, also):  # ran (and ended: no such dream), never refused
        assert "RATE_LIMITED" not in json.dumps(answer)
    assert refused["type"] == "error"
    assert '"code": "RATE_LIMITED"' in json.dumps(refused["payload"])
    assert '"scope": "dreamProgress"' in json.dumps(refused["payload"])


async def test_a_persisted_query_registered_on_one_process_runs_by_hash_on_the_other(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    query = "query Email {\n  me {\n    email\n  }\n}"  # a text neither process has seen
    sha256 = TrustedDocuments.hash_of(query)
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": sha256}}
    miss = await second.post({"operationName": "Email", "extensions": persisted}, "root")
    registered = await first.post(
        {"operationName": "Email", "query": query, "extensions": persisted}, "root"
    )
    served = await second.post({"operationName": "Email", "extensions": persisted}, "root")
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert registered.json() == {"data": {"me": {"email": "root@example.com"}}}
    assert served.json() == {"data": {"me": {"email": "root@example.com"}}}
