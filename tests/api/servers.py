"""Real API processes (`python -m api` under uvicorn) for tests that cross processes.

`api_server(database_url, prefix, **env)` starts one on a free port with the test Redis and
`prefix` for its keys (processes given one prefix share their cache, persisted queries and
rate limits), waits for `/health`, yields a `Server`, and stops it afterwards. `socket(server,
token)` opens a `graphql-transport-ws` connection and completes `connection_init`.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket as sockets
import sys
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from orm.runtime.types import JsonValue
from tests.api.conftest import TOKENS
from tests.api.domain_fixtures import data_of
from tests.conftest import TEST_REDIS_URL

__all__ = ["WAIT", "Server", "api_server", "free_port", "socket"]

WAIT = 30.0  # seconds: a bound for loaded machines, not a timing assertion


@dataclass(frozen=True, slots=True)
class Server:
    origin: str

    @property
    def ws(self) -> str:
        return self.origin.replace("http://", "ws://") + "/graphql"

    async def post(self, body: Mapping[str, object], user: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {TOKENS[user]}"} if user else {}
        async with httpx.AsyncClient(base_url=self.origin, timeout=WAIT) as client:
            return await client.post("/graphql", json=body, headers=headers)

    async def query(
        self, query: str, variables: dict[str, object], user: str | None = None
    ) -> JsonValue:
        return data_of(await self.post({"query": query, "variables": variables}, user))


def free_port() -> int:
    with sockets.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def api_server(database_url: str, prefix: str, **env: str) -> AsyncGenerator[Server]:
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": TEST_REDIS_URL,
        "CACHE_PREFIX": prefix,
        "PORT": str(port),
        "DB_CONNECTION_LIMIT": "4",
        "RESPONSE_TIME_SAMPLE_RATE": "0",
        "LOG_LEVEL": "warning",
        **env,
    }
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "api", env=environment)
    origin = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=origin) as client:
            for _ in range(600):
                if process.returncode is not None:
                    pytest.fail(f"the API process exited with {process.returncode}")
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield Server(origin)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), WAIT)


@asynccontextmanager
async def socket(server: Server, token: str | None) -> AsyncGenerator[ClientConnection]:
    async with connect(server.ws, subprotocols=["graphql-transport-ws"]) as ws:  # pyright: ignore[reportArgumentType]
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        yield ws
