"""The loaders' batch statements can be answered from indexes (document 003's `EXPLAIN`
checks). Sequential scans are switched off, so any table the statement could only read whole
shows up as a `Seq Scan` whatever the table sizes of the moment."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest

from loaders.dreams import (
    AiTestStatsByDreamIdLoader,
    LatestProgressByDreamIdLoader,
    RecentAiTestsByDreamIdLoader,
)
from loaders.projects import (
    FirstFilesByProjectIdLoader,
    LikedByProjectAndUserIdLoader,
    ProjectCountsByProjectIdLoader,
    RecentMessagesByProjectIdLoader,
)
from prisma import Prisma
from tests.api import domain_fixtures

domain_database = domain_fixtures.domain_database


@pytest.fixture
async def db(domain_database: str) -> AsyncGenerator[Prisma]:
    async with Prisma(datasource={"url": domain_database}, connection_limit=1) as client:
        yield client


async def _plan(db: Prisma, sql: str, *args: object) -> str:
    async with db.tx() as tx:
        await tx.execute_raw("SET LOCAL enable_seqscan = off")
        rows = await tx.query_raw("EXPLAIN " + sql, *args)
    return "\n".join(str(row["QUERY PLAN"]) for row in rows)


@pytest.mark.parametrize(
    ("sql", "args", "tables"),
    [
        (RecentAiTestsByDreamIdLoader.SQL, (["d1", "d2"], 6, None), ["ai_tests"]),
        (RecentAiTestsByDreamIdLoader.SQL, (["d1", "d2"], 6, "FAILED"), ["ai_tests"]),
        (LatestProgressByDreamIdLoader.SQL, (["d1", "d2"],), ["progress_logs"]),
        (AiTestStatsByDreamIdLoader.SQL, (["d1", "d2"],), ["ai_tests"]),
        (
            RecentMessagesByProjectIdLoader.SQL,
            (["p1", "p2"], 3),
            ["messages"],
        ),
        (FirstFilesByProjectIdLoader.SQL, (["p1", "p2"], 21), ["project_files"]),
        (LikedByProjectAndUserIdLoader.SQL, (["p1", "p2"], ["u1", "u1"]), ["project_likes"]),
        (
            ProjectCountsByProjectIdLoader.SQL,
            (["p1", "p2"],),
            ["project_files", "messages", "project_collaborators"],
        ),
    ],
)
async def test_batch_statements_use_indexes(
    db: Prisma, sql: str, args: tuple[object, ...], tables: list[str]
) -> None:
    plan = await _plan(db, sql, *args)

    assert "Seq Scan" not in plan, plan
    for table in tables:
        assert f" on {table} " in plan, plan
