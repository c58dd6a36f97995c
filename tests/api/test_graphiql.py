"""GraphiQL: served by the app itself, and working in a real (headless) Chromium, offline.

The browser test drives Chromium over the DevTools protocol: it opens GraphiQL from a live
uvicorn server on 127.0.0.1 with `?query=...&run`, waits until the response pane shows the
result, and checks that every request the page made went to that server (no CDN).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import strawberry
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from api.app import create_app
from api.settings import Settings
from orm.runtime.types import JsonValue
from tests.api.conftest import SMALL_SCHEMA, RunApi

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
]


async def test_get_with_a_browser_accept_header_serves_graphiql(run_api: RunApi) -> None:
    async with run_api() as api:
        page = await api.client.get("/graphql", headers={"Accept": "text/html"})
        script = await api.client.get("/static/graphiql/graphiql.min.js")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/graphiql/graphiql.min.js">' in page.text
    assert "https://" not in page.text
    assert script.status_code == 200
    assert "window.GraphiQL" in script.text


async def test_graphiql_can_be_switched_off(run_api: RunApi) -> None:
    async with run_api(graphiql=False) as api:
        page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 404


@contextlib.asynccontextmanager
async def live_server(
    settings: Settings, schema: strawberry.Schema = SMALL_SCHEMA
) -> AsyncGenerator[str]:
    """The app under uvicorn on a free port of 127.0.0.1; yields its origin."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(settings, schema=schema)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands with replies, events in a list."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._next = 0
        self._replies: dict[int, asyncio.Future[dict[str, JsonValue]]] = {}
        self.events: list[dict[str, JsonValue]] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self._ws:
            message = json.loads(raw)
            waiter = self._replies.pop(message.get("id", -1), None)
            if waiter is not None:
                waiter.set_result(message)
            else:
                self.events.append(message)

    async def send(
        self, method: str, params: dict[str, JsonValue] | None = None, session: str | None = None
    ) -> dict[str, JsonValue]:
        self._next += 1
        message: dict[str, JsonValue] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        waiter = asyncio.get_running_loop().create_future()
        self._replies[self._next] = waiter
        await self._ws.send(json.dumps(message))
        reply = await asyncio.wait_for(waiter, 30)
        assert "error" not in reply, reply
        return reply["result"]

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@contextlib.asynccontextmanager
async def chromium() -> AsyncGenerator[DevTools]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Chromium's helpers may still be writing to the profile while they exit.
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        process = await asyncio.create_subprocess_exec(
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            async with connect(await _devtools_url(Path(profile)), max_size=None) as ws:
                tools = DevTools(ws)
                try:
                    yield tools
                finally:
                    await _close_browser(tools, process)
        finally:
            if process.returncode is None:
                process.terminate()
                await asyncio.wait_for(process.wait(), 30)


async def _devtools_url(profile: Path) -> str:
    port_file = profile / "DevToolsActivePort"
    for _ in range(600):
        if port_file.exists() and len(port_file.read_text().split()) == 2:
            break
        await asyncio.sleep(0.1)
    port, path = port_file.read_text().split()
    return f"ws://127.0.0.1:{port}{path}"


async def _close_browser(tools: DevTools, process: asyncio.subprocess.Process) -> None:
    """`Browser.close`, then wait for Chromium (and so its helpers) to exit."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(tools.send("Browser.close"), 10)
    await tools.close()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), 30)


async def _response_pane(tools: DevTools, session: str) -> str:
    result = await tools.send(
        "Runtime.evaluate",
        {
            "expression": "(document.querySelector('.graphiql-response') || {}).innerText || ''",
            "returnByValue": True,
        },
        session,
    )
    return str(result["result"].get("value", ""))


async def test_graphiql_runs_a_query_in_chromium_offline(settings: Settings) -> None:
    query = 'query Greeting { hello counter(name: "graphiql") }'
    async with live_server(settings) as origin, chromium() as tools:
        target = await tools.send("Target.createTarget", {"url": "about:blank"})
        attached = await tools.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        session = attached["sessionId"]
        await tools.send("Network.enable", {}, session)
        await tools.send("Page.enable", {}, session)
        url = f"{origin}/graphql?{urlencode({'query': query})}&run"
        await tools.send("Page.navigate", {"url": url}, session)
        pane = ""
        for _ in range(900):  # a bound for loaded machines, not a timing assertion
            pane = await _response_pane(tools, session)
            if '"hello": "world"' in pane:
                break
            await asyncio.sleep(0.1)
    assert '"hello": "world"' in pane
    assert '"counter": 0' in pane
    requested = [
        e["params"]["request"]["url"]
        for e in tools.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert any(u.endswith("/static/graphiql/graphiql.min.js") for u in requested)
    assert all(u.startswith((origin, "data:")) for u in requested), requested
