"""GraphiQL opens with the README's example operations, one per tab, each with the headers of
the demo account it is written for, and every one of them runs without errors on seeded data
(subscriptions over the websocket, as GraphiQL runs them)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncGenerator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from api.database import push_schema
from api.schema import schema
from api.settings import Settings
from orm.runtime.types import JsonValue
from prisma import Prisma
from seed import seed_database
from seed.demo import DEMO_ACCOUNTS
from tests.api.screenshots import open_page
from tests.api.test_graphiql import chromium, live_server
from tests.conftest import TEST_DATABASE_URL, with_query

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES: list[dict[str, JsonValue]] = json.loads(
    (ROOT / "api" / "static" / "graphiql" / "examples.json").read_text()
)
TOKENS = {account.email.split("@")[0]: account.token for account in DEMO_ACCOUNTS}
# Which earlier example's answer gives an example its `$id`, and the path to it there.
ID_FROM: dict[str, tuple[str, tuple[str | int, ...]]] = {
    "RecordAiTest": ("CreateDream", ("createDream", "dream", "id")),
    "DreamProgress": ("CreateDream", ("createDream", "dream", "id")),
    "RecordProjectView": ("TrendingProjects", ("projects", "edges", 0, "node", "id")),
    "LikeProject": ("MyProjects", ("projects", "edges", 0, "node", "id")),
}


def _at(data: JsonValue, path: tuple[str | int, ...]) -> JsonValue:
    for step in path:
        data = data[step]
    return data


def _name(example: dict[str, JsonValue]) -> str:
    return str(example["query"]).split("(")[0].split("{")[0].split()[1]


@pytest.fixture(scope="module")
async def seeded_database() -> AsyncGenerator[str]:
    """A schema pushed and seeded (tiny scale) with the real seed, demo accounts included."""
    name = f"ex_{uuid.uuid4().hex[:10]}"
    url = with_query(TEST_DATABASE_URL, schema=name)
    admin = Prisma(datasource={"url": TEST_DATABASE_URL}, connection_limit=1)
    await admin.connect()
    try:
        await admin.execute_raw(f'CREATE SCHEMA "{name}"')
        await push_schema(url)
        await seed_database(url, scale="tiny")
        yield url
    finally:
        await admin.execute_raw(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        await admin.disconnect()


async def _subscribe(origin: str, query: str, variables: JsonValue, token: str) -> JsonValue:
    url = origin.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # pyright: ignore[reportArgumentType]
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": query, "variables": variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 30))
    assert message["type"] == "next", message
    return message["payload"]


async def test_every_example_runs_without_errors(settings: Settings, seeded_database: str) -> None:
    app_settings = replace(settings, database_url=seeded_database)
    answers: dict[str, JsonValue] = {}
    async with (
        live_server(app_settings, schema) as origin,
        httpx.AsyncClient(base_url=origin, timeout=30) as client,
    ):
        for example in EXAMPLES:
            name, query = _name(example), str(example["query"])
            variables: JsonValue = example["variables"]
            if name in ID_FROM:
                source, path = ID_FROM[name]
                variables = {"id": _at(answers[source], path)}
            account = example["account"]
            token = TOKENS[str(account)] if account else None
            if query.startswith("subscription"):
                assert token is not None
                body = await _subscribe(origin, query, variables, token)
            else:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                request = {"query": query, "variables": variables}
                body = (await client.post("/graphql", json=request, headers=headers)).json()
            assert "errors" not in body, (name, body)
            answers[name] = body["data"]
    assert answers["Me"]["me"]["email"] == "pro@dreams.test"
    assert answers["Dashboard"]["dashboard"]["dreams"]
    assert answers["BudgetAlerts"]["budgetAlerts"]


def test_the_readme_shows_every_example() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [_name(e) for e in EXAMPLES if str(e["query"]) not in readme]
    assert missing == []


async def test_graphiql_opens_with_the_examples_and_the_demo_headers(
    settings: Settings, seeded_database: str
) -> None:
    app_settings = replace(settings, database_url=seeded_database)
    async with live_server(app_settings, schema) as origin, chromium() as tools:
        page = await open_page(tools, f"{origin}/graphql")
        await page.wait_for("document.querySelectorAll('.graphiql-tab').length > 1")
        names = await page.evaluate(
            "Array.from(document.querySelectorAll('.graphiql-tab')).map(t => t.innerText.trim())"
        )
        state = await page.wait_for("localStorage.getItem('graphiql:tabState')")
        sign_in = await page.evaluate(
            "Array.from(document.querySelectorAll('.dreams-sign-in option')).map(o => o.value)"
        )
    assert names == [_name(e) for e in EXAMPLES]
    tabs = json.loads(str(state))["tabs"]
    assert json.loads(tabs[0]["headers"]) == {"Authorization": f"Bearer {TOKENS['pro']}"}
    assert tabs[6]["headers"] in ("", None)  # PublicDreams: anonymous
    assert set(TOKENS.values()) <= set(sign_in)
