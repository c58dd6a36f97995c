"""One topology for the module that asks for it: a primary, 2 streaming replicas, PgBouncer,
Redis and 2 API processes (`scale.Topology`), started from PostgreSQL 15's server binaries.

Skipped only where those binaries are absent (CI's machine always has them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Protocol, cast

import asyncpg
import httpx
import pytest

from orm.runtime.types import JsonValue
from scale import Topology, TopologyOptions
from scale.postgres import binaries_present

PRO_TOKEN = "demo-pro-4b8e2d6f1a9c3075"  # seed/demo.py

if not binaries_present():
    pytest.skip("PostgreSQL 15 server binaries are not installed", allow_module_level=True)


# Lag limits out of the way: only the write's WAL position keeps a paused replica from
# serving a viewer's reads, which is what the read-your-writes test checks. Rate limits too:
# the load here is one viewer's, far beyond what a viewer may send.
API_ENV = {
    "DATABASE_REPLICA_MAX_LAG_SECONDS": "3600",
    "DATABASE_REPLICA_MAX_LAG_BYTES": str(2**40),
    "RATE_LIMIT": "off",
    "RATE_LIMIT_PER_FIELD": "off",
}


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    options = TopologyOptions(replicas=2, api_processes=2, api_env=API_ENV)
    with Topology(options) as topo:
        yield topo


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


async def graphql(
    http: httpx.AsyncClient,
    api: str,
    query: str,
    variables: dict[str, JsonValue] | None = None,
    *,
    token: str | None = PRO_TOKEN,
    cache: bool = False,
) -> dict[str, JsonValue]:
    """The response body; fails the test on a non-200 answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body: dict[str, JsonValue] = {"query": query, "variables": variables or {}}
    if not cache:
        body["extensions"] = {"cache": False}
    answer = await http.post(f"{api}/graphql", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return cast("dict[str, JsonValue]", answer.json())


class _Connection(Protocol):
    async def fetch(self, query: str) -> list[Mapping[str, object]]: ...

    async def close(self) -> None: ...


_connect = cast(
    Callable[[str], Awaitable[_Connection]],
    asyncpg.connect,  # pyright: ignore[reportUnknownMemberType]
)


async def sql(url: str, query: str) -> list[Mapping[str, object]]:
    """`query`'s rows, on a connection of its own to `url` (a node, past every router)."""
    conn = await _connect(url)
    try:
        return await conn.fetch(query)
    finally:
        await conn.close()
