"""The loaders' batch statements can be answered from indexes (document 003's `EXPLAIN`
checks). Sequential scans are switched off, so any table the statement could only read whole
shows up as a `Seq Scan` whatever the table sizes of the moment."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import pytest
from aiodataloader import DataLoader

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
from orm.runtime.client import QueryEvent
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


LoaderCall = Callable[[Prisma], Awaitable[object]]


def _call(loader: Callable[[Prisma], DataLoader[Any, Any]], *keys: object) -> LoaderCall:
    return lambda db: loader(db).load_many(list(keys))


@pytest.mark.parametrize(
    ("call", "tables"),
    [
        (_call(RecentAiTestsByDreamIdLoader, ("d1", 6, None), ("d2", 6, None)), ["ai_tests"]),
        (_call(RecentAiTestsByDreamIdLoader, ("d1", 6, "FAILED")), ["ai_tests"]),
        (_call(LatestProgressByDreamIdLoader, "d1", "d2"), ["progress_logs"]),
        (_call(AiTestStatsByDreamIdLoader, "d1", "d2"), ["ai_tests"]),
        (_call(RecentMessagesByProjectIdLoader, ("p1", 3), ("p2", 3)), ["messages"]),
        (_call(FirstFilesByProjectIdLoader, ("p1", 21), ("p2", 21)), ["project_files"]),
        (_call(LikedByProjectAndUserIdLoader, ("p1", "u1"), ("p2", "u1")), ["project_likes"]),
        (
            _call(ProjectCountsByProjectIdLoader, "p1", "p2"),
            ["project_files", "messages", "project_collaborators"],
        ),
    ],
)
async def test_batch_statements_use_indexes(
    db: Prisma, call: LoaderCall, tables: list[str]
) -> None:
    """Each batch is one statement the ORM writes; its plan, with the same parameters, reads
    every table it names through an index."""
    events: list[QueryEvent] = []
    db.add_query_listener(events.append)
    await call(db)
    db.remove_query_listener(events.append)
    assert len(events) == 1
    plan = await _plan(db, events[0].sql, *events[0].params)

    assert "Seq Scan" not in plan, plan
    for table in tables:
        assert f" on {table} " in plan, plan
