"""`dreamProgress` over `graphql-transport-ws`, against real servers: two API processes
(`python -m api` under uvicorn) on one database. Subscribers connect to the first; tests are
recorded through the second, so every update crosses processes (PostgreSQL NOTIFY).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncGenerator

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from api.subscriptions import MAX_SUBSCRIPTIONS
from orm.runtime.types import JsonValue
from tests.api import domain_fixtures
from tests.api.conftest import TOKENS, Api
from tests.api.domain_fixtures import ALICE, Seed
from tests.api.servers import WAIT, Server, api_server, socket

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

WATCH = """
subscription ($id: ID!) {
  dreamProgress(dreamId: $id, bucket: DAY) {
    dream { id testCount bestScore }
    aiTest { impossibilityScore model }
    progress { averageImpossibility testCount improvementTrend }
    point { bucketStart average best count }
  }
}
"""
RECORD = """
mutation ($id: ID!, $score: Float!) { recordAiTest(input: {dreamId: $id, provider: ANTHROPIC,
  model: "claude", impossibilityScore: $score, confidence: 90}) { aiTest { id } } }
"""
READ = """
query ($id: ID!) { dream(id: $id) { testCount bestScore latestProgress { averageImpossibility }
  decayChart(range: LAST_7_DAYS, bucket: DAY) { points { bucketStart average best count } } } }
"""


@pytest.fixture(scope="module")
async def servers(domain_database: str) -> AsyncGenerator[tuple[Server, Server]]:
    prefix = f"test:live:{os.getpid()}:"
    async with (
        api_server(domain_database, prefix) as first,
        api_server(domain_database, prefix) as second,
    ):
        yield first, second


async def _subscribe(ws: ClientConnection, op_id: str, query: str, variables: object) -> None:
    message = {
        "id": op_id,
        "type": "subscribe",
        "payload": {"query": query, "variables": variables},
    }
    await ws.send(json.dumps(message))


async def _next(ws: ClientConnection) -> dict[str, JsonValue]:
    return json.loads(await asyncio.wait_for(ws.recv(), WAIT))


async def test_a_test_recorded_on_another_process_reaches_the_subscriber(
    domain_api: Api, servers: tuple[Server, Server]
) -> None:
    watched, writer = servers
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE, "Private", public=False)
    await seed.ai_tests(dream_id, ALICE, [80])
    async with socket(watched, TOKENS["alice"]) as ws:
        await _subscribe(ws, "1", WATCH, {"id": dream_id})
        first = await _next(ws)  # the state now: from here on, no change is missed
        await writer.query(RECORD, {"id": dream_id, "score": 40}, user="alice")
        message = await _next(ws)
    read = await writer.query(READ, {"id": dream_id}, user="alice")

    start = first["payload"]["data"]["dreamProgress"]
    assert start["aiTest"] is None
    assert start["dream"] == {"id": dream_id, "testCount": 1, "bestScore": 80.0}
    assert message["type"] == "next"
    assert message["id"] == "1"
    event = message["payload"]["data"]["dreamProgress"]
    assert event["dream"] == {"id": dream_id, "testCount": 2, "bestScore": 40.0}
    assert event["aiTest"] == {"impossibilityScore": 40.0, "model": "claude"}
    assert event["progress"]["averageImpossibility"] == 60.0
    assert event["progress"]["testCount"] == 2
    assert event["point"] == read["dream"]["decayChart"]["points"][-1]


async def test_private_dreams_stream_to_their_owner_only(
    domain_api: Api, servers: tuple[Server, Server]
) -> None:
    watched, _ = servers
    dream_id = await Seed(domain_api.services.db).dream(ALICE, "Secret")
    for token in (TOKENS["bob"], None):
        async with socket(watched, token) as ws:
            await _subscribe(ws, "1", WATCH, {"id": dream_id})
            message = await _next(ws)
            assert message["type"] == "next"
            errors = message["payload"]["errors"]
            assert errors[0]["extensions"] == {"code": "NOT_FOUND"}
            assert (await _next(ws))["type"] == "complete"


async def test_a_dream_made_private_stops_streaming_to_others(
    domain_api: Api, servers: tuple[Server, Server]
) -> None:
    watched, writer = servers
    dream_id = await Seed(domain_api.services.db).dream(ALICE, "Shared", public=True)
    hide = "mutation ($id: ID!) { updateDream(id: $id, input: {isPublic: false}) { dream { id } } }"
    async with socket(watched, TOKENS["bob"]) as other, socket(watched, TOKENS["alice"]) as owner:
        await _subscribe(other, "1", WATCH, {"id": dream_id})
        await _subscribe(owner, "1", WATCH, {"id": dream_id})
        await _next(other)
        await _next(owner)
        await writer.query(hide, {"id": dream_id}, user="alice")
        ended = await _next(other)
        assert (await _next(other))["type"] == "complete"
        still = await _next(owner)  # the owner's stream goes on: the change itself is an update
        await writer.query(RECORD, {"id": dream_id, "score": 30}, user="alice")
        tested = await _next(owner)

    assert ended["payload"]["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert still["payload"]["data"]["dreamProgress"]["aiTest"] is None
    assert tested["payload"]["data"]["dreamProgress"]["dream"]["testCount"] == 1


async def test_a_deleted_dream_ends_the_stream(
    domain_api: Api, servers: tuple[Server, Server]
) -> None:
    watched, writer = servers
    dream_id = await Seed(domain_api.services.db).dream(ALICE, "Doomed", public=True)
    delete = "mutation ($id: ID!) { deleteDream(id: $id) { deletedId } }"
    async with socket(watched, None) as ws:
        await _subscribe(ws, "7", WATCH, {"id": dream_id})
        await _next(ws)
        await writer.query(delete, {"id": dream_id}, user="alice")
        ended = await _next(ws)
    assert ended["id"] == "7"
    assert ended["payload"]["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


async def test_an_unknown_token_is_refused_at_connection_init(
    servers: tuple[Server, Server],
) -> None:
    watched, _ = servers
    async with connect(watched.ws, subprotocols=["graphql-transport-ws"]) as ws:  # pyright: ignore[reportArgumentType]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})
        )
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), WAIT)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_subscriptions_per_connection_are_limited(
    domain_api: Api, servers: tuple[Server, Server]
) -> None:
    watched, _ = servers
    dream_id = await Seed(domain_api.services.db).dream(ALICE, "Popular", public=True)
    async with socket(watched, None) as ws:
        for n in range(MAX_SUBSCRIPTIONS):
            await _subscribe(ws, str(n), WATCH, {"id": dream_id})
        started = {str((await _next(ws))["id"]) for _ in range(MAX_SUBSCRIPTIONS)}
        await _subscribe(ws, "one too many", WATCH, {"id": dream_id})
        refused = await _next(ws)
        await ws.send(json.dumps({"id": "0", "type": "complete"}))
        await _subscribe(ws, "room again", WATCH, {"id": dream_id})
        again = await _next(ws)
        await _subscribe(ws, "query", "{ me { name } }", {})
        over_http = await _next(ws)

    assert started == {str(n) for n in range(MAX_SUBSCRIPTIONS)}
    assert again["id"] == "room again"
    assert again["type"] == "next"

    assert refused["id"] == "one too many"
    assert refused["type"] == "error"
    assert refused["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS"}
    assert over_http["id"] == "query"
    assert "POST /graphql" in over_http["payload"][0]["message"]


async def test_opening_a_connection_takes_from_the_viewers_rate_limit(
    domain_database: str,
) -> None:
    """Each `connection_init` takes one request from the viewer's bucket (here 2 a minute):
    the third anonymous socket from this address is closed with 4429 and the wait, before any
    acknowledgement; a signed-in viewer has a bucket of their own."""
    prefix = f"test:live-limit:{os.getpid()}:"
    async with api_server(domain_database, prefix, RATE_LIMIT="2/minute") as server:
        async with socket(server, None), socket(server, None):
            pass
        async with connect(server.ws, subprotocols=["graphql-transport-ws"]) as ws:  # pyright: ignore[reportArgumentType]
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), WAIT)
        async with socket(server, TOKENS["alice"]):
            pass  # acknowledged: alice's own bucket
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4429
    assert "try again in" in closed.value.rcvd.reason
