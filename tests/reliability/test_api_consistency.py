"""Issue 9, item 12: smaller inconsistencies found on the way.

- A like/unlike pair moved a project up the UPDATED and FEATURED lists while adding files did
  not. The rule now: likes (and views) are not edits; files and messages are.
- Responses with errors said `X-Cache: MISS` though nothing was stored: they say `BYPASS`.
- `python -m api` (what `make serve` runs) left its embedded PostgreSQL running after SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx

from tests import ROOT
from tests.api.conftest import Api, RunApi
from tests.api.domain_fixtures import ALICE, BOB, Seed
from tests.reliability.api_fixtures import (
    api_database,
    domain_api,
    domain_database,
    redis_prefix,
    run_api,
    settings,
)
from tests.reliability.servers import free_port

__all__ = ["api_database", "domain_api", "domain_database", "redis_prefix", "run_api", "settings"]

UPDATED = "{ projects(sort: UPDATED, first: 2) { nodes { name } } }"


async def updated_at(api: Api, project_id: str) -> datetime:
    project = await api.services.db.project.find_unique(where={"id": project_id})
    assert project is not None
    return project.updatedAt


async def mutate(api: Api, document: str, project: str, user: str) -> None:
    response = await api.query(document, {"id": project}, user=user)
    assert "errors" not in response.json(), response.json()


async def first_updated(api: Api) -> str:
    response = await api.query(UPDATED, extensions={"cache": False})
    return response.json()["data"]["projects"]["nodes"][0]["name"]


async def test_likes_are_not_edits_but_files_and_messages_are(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    older = await seed.project(ALICE, "Older")
    await seed.project(BOB, "Newer")
    liked_at = await updated_at(domain_api, older)

    for mutation in ("likeProject", "unlikeProject", "likeProject"):
        like = f"mutation ($id: ID!) {{ {mutation}(id: $id) {{ project {{ likes }} }} }}"
        await mutate(domain_api, like, older, "bob")
    after_likes = await updated_at(domain_api, older)
    order_after_likes = await first_updated(domain_api)
    file = (
        'mutation ($id: ID!) { addProjectFile(input: {projectId: $id, path: "a.ts", '
        'content: "x", language: "ts"}) { file { id } } }'
    )
    await mutate(domain_api, file, older, "alice")
    after_file = await updated_at(domain_api, older)
    order_after_file = await first_updated(domain_api)
    message = (
        'mutation ($id: ID!) { postMessage(input: {projectId: $id, content: "hi"}) '
        "{ message { id } } }"
    )
    await mutate(domain_api, message, older, "alice")
    after_message = await updated_at(domain_api, older)

    assert after_likes == liked_at
    assert order_after_likes == "Newer"
    assert after_file > after_likes
    assert order_after_file == "Older"
    assert after_message > after_file


async def test_responses_with_errors_do_not_claim_a_cache_state(run_api: RunApi) -> None:
    async with run_api() as api:
        resolver_error = [await api.query("{ missing }") for _ in range(2)]
        invalid = await api.query("{ nonsense }")
        refused = await api.query("{ hello }", operationName="Nope")
        fine = [await api.query("{ hello }") for _ in range(2)]
    states = [r.headers["x-cache"] for r in (*resolver_error, invalid, refused, *fine)]
    assert states == ["BYPASS", "BYPASS", "BYPASS", "BYPASS", "MISS", "HIT"]


# -- the server's embedded PostgreSQL stops with the server ----------------------------------


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def exits(pid: int) -> bool:
    """Whether process `pid` is gone within a minute (it removes postmaster.pid just before
    it exits, and init then reaps it)."""
    deadline = time.monotonic() + 60
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def postmaster(data_dir: Path) -> int | None:
    """The pid of the PostgreSQL server running on `data_dir`, if one is."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().split()[0])
    return pid if running(pid) else None


def serve_until_stopped(data_dir: Path, stop: signal.Signals) -> tuple[int, int]:
    """Start `python -m api` on an embedded PostgreSQL in `data_dir`, wait until it answers,
    send `stop` to the server process alone (as `kill`, `docker stop` or systemd do; a
    terminal's Ctrl-C also reaches PostgreSQL, which then stops by itself) and wait for it to
    exit. Returns (exit code, the PostgreSQL server's pid)."""
    port = free_port(range(23_000, 24_000))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DATA_DIR": str(data_dir),
        "SEED_SCALE": "tiny",
        "PORT": str(port),
        "LOG_LEVEL": "warning",
        "RESPONSE_TIME_SAMPLE_RATE": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "api"], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/database", timeout=2).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        database = postmaster(data_dir)
        assert database is not None, "the server never answered"
        server.send_signal(stop)
        return server.wait(60), database
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_embedded_database_stops_with_the_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "pg"  # the second start reuses it: no initdb, no seed
    for stop in (signal.SIGTERM, signal.SIGINT):
        code, pid = serve_until_stopped(data_dir, stop)
        assert code in (0, 128 + stop.value), (stop, code)
        assert not (data_dir / "postmaster.pid").exists(), f"PostgreSQL runs on after {stop.name}"
        assert exits(pid)
