"""After seeding, every query of documents 000 and 001 reads the big tables through an index.

The tiny scale is too small for the planner to prefer an index on its own, so sequential scans
are priced out (`enable_seqscan = off`): what is checked is that a usable index exists for each
query, so PostgreSQL can pick it once the tables are large.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import pytest

from seed import SeedReport
from seed.pg import Connection, connect
from tests.seed.conftest import ANCHOR
from tests.seed.queries import QUERIES, sample_params

JsonValue = Any
BIG_TABLES = frozenset(
    {
        "dreams",
        "ai_tests",
        "progress_logs",
        "projects",
        "project_collaborators",
        "project_files",
        "messages",
        "token_usage",
        "project_stats",
        "user_token_summary",
    }
)


def scans(plan: JsonValue) -> Iterator[tuple[str, str]]:
    """(node type, relation) of every node that reads a relation, anywhere in the plan tree."""
    if isinstance(plan, dict):
        node = cast("dict[str, JsonValue]", plan)
        if "Relation Name" in node:
            yield str(node["Node Type"]), str(node["Relation Name"])
        for value in node.values():
            yield from scans(value)
    elif isinstance(plan, list):
        for item in cast("list[JsonValue]", plan):
            yield from scans(item)


@pytest.fixture(scope="module")
async def params(seeded: tuple[str, SeedReport, set[str]]) -> dict[str, object]:
    conn = await connect(seeded[0])
    try:
        return await sample_params(conn, ANCHOR)
    finally:
        await conn.close()


@pytest.fixture
async def planner(db: Connection) -> AsyncIterator[Connection]:
    await db.execute("SET enable_seqscan = off")
    yield db
    await db.execute("RESET enable_seqscan")


@pytest.mark.parametrize("name", QUERIES)
async def test_query_reads_big_tables_through_indexes(
    planner: Connection, params: dict[str, object], name: str
):
    sql, keys = QUERIES[name]
    raw = await planner.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *(params[k] for k in keys))
    plan: JsonValue = json.loads(str(raw))
    nodes = list(scans(plan))
    sequential = [table for kind, table in nodes if kind == "Seq Scan" and table in BIG_TABLES]
    assert not sequential, f"{name}: sequential scan of {sequential}"
    assert any("Index" in kind or "Bitmap" in kind for kind, _ in nodes), nodes
