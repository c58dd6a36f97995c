"""The scale-out topology, proven on loopback. The tests share one topology and run in file
order: the last two kill a replica and restart the primary."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Awaitable, Callable
from typing import cast

import httpx
import pytest

from orm.runtime.routing import read_from_replica
from orm.runtime.types import JsonValue
from prisma import Prisma
from scale import Topology
from scale.postgres import BIN
from tests.scale.conftest import PRO_TOKEN, graphql, sql

TEAM_TOKEN = "demo-team-9d1f5c3a7e2b6048"
RECORD = (
    'mutation Record($model: String!) { recordTokenUsage(input: {endpoint: "/chat", '
    'model: $model, promptTokens: 10, completionTokens: 5, cost: "0.001"}) { id } }'
)
USAGE = "query Usage { tokenUsage(groupBy: MODEL) { key requests } }"
BUDGET = "query Budget { myBudget { tokenSpend } }"
AI_MODELS = "query Models { aiModels(activeOnly: false) { name displayName } }"


async def _routing(http: httpx.AsyncClient, api: str) -> dict[str, dict[str, JsonValue]]:
    answer = (await http.get(f"{api}/health/database")).json()
    return answer["replicas"]["nodes"]


async def _replica_reads(http: httpx.AsyncClient, topology: Topology) -> int:
    total = 0
    for api in topology.api_urls:
        nodes = await _routing(http, api)
        total += sum(cast(int, n["reads"]) for name, n in nodes.items() if name != "primary")
    return total


async def _requests_for(http: httpx.AsyncClient, api: str, model: str) -> int:
    body = await graphql(http, api, USAGE)
    assert "errors" not in body, body
    data = cast(dict[str, list[dict[str, JsonValue]]], body["data"])
    return sum(cast(int, row["requests"]) for row in data["tokenUsage"] if row["key"] == model)


async def test_replicas_serve_routed_reads(topology: Topology, http: httpx.AsyncClient) -> None:
    before = await _replica_reads(http, topology)
    for api in topology.api_urls * 5:
        assert "errors" not in await graphql(http, api, BUDGET)
    nodes = await _routing(http, topology.api_urls[0])
    assert await _replica_reads(http, topology) >= before + 10
    assert all(nodes[name]["up"] for name in ("replica0", "replica1"))
    assert all(cast(int, nodes[name]["reads"]) > 0 for name in ("replica0", "replica1"))
    db = Prisma(datasource={"url": topology.direct_url}, replica_urls=topology.replica_urls)
    await db.connect()
    try:
        with read_from_replica():
            routed = await db.query_first("SELECT pg_is_in_recovery() AS standby")
        default = await db.query_first("SELECT pg_is_in_recovery() AS standby")
    finally:
        await db.disconnect()
    assert routed == {"standby": True}
    assert default == {"standby": False}  # raw SQL stays on the primary


async def test_read_your_writes_while_replay_is_paused(
    topology: Topology, http: httpx.AsyncClient
) -> None:
    model = f"ryw-{time.time_ns()}"
    for url in topology.replica_urls:
        await sql(url, "SELECT pg_wal_replay_pause()")
    try:
        reads_before = await _replica_reads(http, topology)
        a, b = topology.api_urls
        stale = 0
        for written in range(1, 41):
            writer, reader = (a, b) if written % 2 else (b, a)
            assert "errors" not in await graphql(http, writer, RECORD, {"model": model})
            stale += await _requests_for(http, reader, model) != written
            # Someone who wrote nothing still reads the paused replicas.
            other = await graphql(http, reader, BUDGET, token=TEAM_TOKEN)
            assert "errors" not in other
        on_replica = await sql(
            topology.replica_urls[0],
            f"SELECT count(*) AS n FROM token_usage WHERE model = '{model}'",
        )
        assert stale == 0
        assert on_replica[0]["n"] == 0  # the replica really was behind
        assert await _replica_reads(http, topology) >= reads_before + 40
    finally:
        for url in topology.replica_urls:
            await sql(url, "SELECT pg_wal_replay_resume()")


async def _compiled_models(http: httpx.AsyncClient, api: str) -> list[str]:
    """`aiModels` as an anonymous viewer, uncached: a public read the compiled path answers."""
    body = {"query": AI_MODELS, "extensions": {"cache": False}}
    answer = await http.post(f"{api}/graphql", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Execution"] == "compiled"
    data = cast(dict[str, list[dict[str, str]]], answer.json()["data"])
    return [model["name"] for model in data["aiModels"]]


def _served(
    before: dict[str, dict[str, JsonValue]], after: dict[str, dict[str, JsonValue]]
) -> dict[str, int]:
    return {
        name: cast(int, after[name]["reads"]) - cast(int, before[name]["reads"]) for name in after
    }


async def test_compiled_public_reads_are_served_by_replicas(
    topology: Topology, http: httpx.AsyncClient
) -> None:
    api = topology.api_urls[0]
    # Until the monitors have seen the replicas replay the last test's writes, the primary serves.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        before = await _routing(http, api)
        await _compiled_models(http, api)
        if _served(before, await _routing(http, api))["primary"] == 0:
            break
        await asyncio.sleep(0.5)
    before = await _routing(http, api)
    for _ in range(6):
        assert await _compiled_models(http, api)
    served = _served(before, await _routing(http, api))
    assert served["replica0"] + served["replica1"] == 6
    assert served["primary"] == 0
    metrics = (await http.get(f"{api}/metrics")).text
    assert 'graphql_compiled_reads_total{route="replica"}' in metrics


async def test_compiled_reads_wait_for_the_latest_write_while_replay_is_paused(
    topology: Topology, http: httpx.AsyncClient
) -> None:
    """A shared (public) compiled read after anyone's write never comes from a replica that
    hasn't replayed it: the model inserted before the write is in the answer."""
    name = f"ryw-model-{time.time_ns()}"
    for url in topology.replica_urls:
        await sql(url, "SELECT pg_wal_replay_pause()")
    try:
        await sql(
            topology.direct_url,
            "INSERT INTO ai_models (id, provider, name, display_name, max_tokens, "
            f"cost_per_1k_tokens, capabilities) VALUES ('{name}', 'OPENAI', '{name}', 'RYW', "
            "1000, 0.001, '{}')",
        )
        writer, reader = topology.api_urls
        before = await _routing(http, reader)
        assert "errors" not in await graphql(http, writer, RECORD, {"model": name})
        assert name in await _compiled_models(http, reader)
        served = _served(before, await _routing(http, reader))
        on_replica = await sql(
            topology.replica_urls[0], f"SELECT count(*) AS n FROM ai_models WHERE id = '{name}'"
        )
        assert on_replica[0]["n"] == 0  # the replicas really were behind
        assert served["primary"] >= 1
    finally:
        await sql(topology.direct_url, f"DELETE FROM ai_models WHERE id = '{name}'")
        for url in topology.replica_urls:
            await sql(url, "SELECT pg_wal_replay_resume()")


async def _load(
    http: httpx.AsyncClient, apis: list[str], seconds: float, workers: int
) -> list[str]:
    """Replica-routed reads from `workers` concurrent clients; every failure, described."""
    failures: list[str] = []
    deadline = time.monotonic() + seconds

    async def client(index: int) -> None:
        api = apis[index % len(apis)]
        while time.monotonic() < deadline:
            try:
                body = await graphql(http, api, BUDGET)
            except AssertionError as error:
                failures.append(str(error))
                continue
            if "errors" in body:
                failures.append(str(body["errors"]))

    await asyncio.gather(*(client(i) for i in range(workers)))
    return failures


async def test_pgbouncer_transaction_mode_under_concurrent_load(
    topology: Topology, http: httpx.AsyncClient
) -> None:
    db = Prisma(datasource={"url": topology.pgbouncer_url}, connection_limit=20)
    await db.connect()

    async def in_transaction(i: int) -> JsonValue:
        async with db.tx(max_wait=60_000, timeout=60_000) as tx:
            await tx.execute_raw(f"SET LOCAL app.marker = 'tx-{i}'")
            await tx.query_raw("SELECT pg_advisory_xact_lock($1)", i)
            row = await tx.query_first("SELECT current_setting('app.marker') AS t")
        return (row or {})["t"]

    async def outside(i: int) -> JsonValue:
        row = await db.query_first(
            "SELECT coalesce(current_setting('app.marker', true), '') || "
            "current_setting('statement_timeout') AS t, $1::int AS i",
            i,
        )
        return (row or {})["t"]

    jobs: list[Callable[[int], Awaitable[JsonValue]]] = [in_transaction, outside]
    try:
        results, failures = await asyncio.gather(
            asyncio.gather(*(jobs[i % 2](i) for i in range(400))),
            _load(http, topology.api_urls, 3.0, 16),
        )
    finally:
        await db.disconnect()
    locks = await sql(
        topology.direct_url, "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"
    )
    assert failures == []
    assert [r for i, r in enumerate(results) if i % 2] == ["0"] * 200  # no SET leaked out
    assert [r for i, r in enumerate(results) if not i % 2] == [f"tx-{i}" for i in range(0, 400, 2)]
    assert locks[0]["n"] == 0


def _bouncer_prepared_statements(topology: Topology) -> int:
    """Prepared statements PgBouncer holds on its server connections (its admin console)."""
    argv = [str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(topology.pgbouncer_port)]
    argv += ["-U", "postgres", "-d", "pgbouncer", "-A", "-F", "|", "-c", "SHOW SERVERS"]
    lines = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.splitlines()
    column = lines[0].split("|").index("prepared_statements")
    return sum(int(line.split("|")[column]) for line in lines[1:] if "|" in line)


async def test_pgbouncer_keeps_prepared_statements(topology: Topology) -> None:
    """PgBouncer 1.21+ (`scale/build-pgbouncer`; CI builds it) with `max_prepared_statements`:
    the API's URL keeps asyncpg's statement cache, and the statements are prepared on the
    servers, so a repeated statement is one round trip (Bind/Execute), not two."""
    bouncer = topology.bouncer
    assert bouncer is not None
    if not bouncer.keeps_prepared_statements:
        assert not os.environ.get("CI"), f"CI must build PgBouncer 1.21+ (found {bouncer})"
        pytest.skip(f"PgBouncer {bouncer.version} keeps no prepared statements")
    assert "statement_cache_size=100" in topology.pgbouncer_url
    db = Prisma(datasource={"url": topology.pgbouncer_url}, connection_limit=8)
    await db.connect()
    try:
        rows = await asyncio.gather(
            *(db.query_first("SELECT $1::int + 1 AS n", i) for i in range(200))
        )
    finally:
        await db.disconnect()
    assert [row["n"] for row in rows if row is not None] == [i + 1 for i in range(200)]
    assert _bouncer_prepared_statements(topology) > 0


async def test_a_replica_killed_mid_load_costs_clients_nothing(
    topology: Topology, http: httpx.AsyncClient
) -> None:
    async def kill_soon() -> None:
        await asyncio.sleep(1.0)
        await asyncio.to_thread(topology.replicas[0].kill)

    failures, _ = await asyncio.gather(_load(http, topology.api_urls, 4.0, 16), kill_soon())
    assert failures == []
    for api in topology.api_urls:
        nodes = await _routing(http, api)
        assert nodes["replica0"]["up"] is False
        assert nodes["replica1"]["up"] is True


async def _recovered(http: httpx.AsyncClient, api: str, *, within: float) -> bool:
    """Whether a write and a read both succeed on `api` before `within` seconds pass. Right
    after a restart PgBouncer may refuse logins for `server_login_retry` and a write is not
    repeated (it may have run), so the first attempts may fail, each with a 503 and
    `Retry-After` (a statement whose connection was cut); that is all that may."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await _answers(http, api, RECORD, {"model": "after-restart"}) and await _answers(
            http, api, USAGE, {}
        ):
            return True
        await asyncio.sleep(0.2)
    return False


async def _answers(
    http: httpx.AsyncClient, api: str, query: str, variables: dict[str, JsonValue]
) -> bool:
    """Whether `query` answered without errors; only a 503 may say the database is away."""
    body = {"query": query, "variables": variables, "extensions": {"cache": False}}
    answer = await http.post(
        f"{api}/graphql", json=body, headers={"Authorization": f"Bearer {PRO_TOKEN}"}
    )
    if answer.status_code == 503:
        assert answer.headers["Retry-After"]
        assert answer.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        return False
    assert answer.status_code == 200, answer.text
    return "errors" not in answer.json()


async def test_clients_recover_after_the_primary_restarts(
    topology: Topology, http: httpx.AsyncClient
) -> None:
    await asyncio.to_thread(topology.primary.stop)
    await asyncio.to_thread(topology.primary.start)
    for api in topology.api_urls:
        assert await _recovered(http, api, within=30)
    for api in topology.api_urls * 10:
        assert "errors" not in await graphql(http, api, RECORD, {"model": "after-restart"})
        assert "errors" not in await graphql(http, api, USAGE)
