"""An app for cross-process cache tests: `slowCounter` reads first, then takes its time.

Served by uvicorn (`--factory tests.reliability.slow_app:create_slow_app`) on the database of
`tests/api/conftest.py` (its `counters` table) with the small schema's `bump` mutation, so a test
can write through one process while another is still computing an answer from what it read.
"""

from __future__ import annotations

import asyncio

import strawberry
from starlette.applications import Starlette

from api.app import create_app
from tests.api.conftest import Info, Mutation

__all__ = ["SLOW_SCHEMA", "create_slow_app"]


@strawberry.type
class Query:
    @strawberry.field
    async def slow_counter(self, info: Info, name: str, pause_ms: int) -> int:
        scope = info.context.scope
        scope.depends_on(f"counter:{name}", ttl=60)
        row = await scope.db.query_first("SELECT value FROM counters WHERE name = $1", name)
        await asyncio.sleep(pause_ms / 1000)  # the value read may be overwritten meanwhile
        return 0 if row is None else int(row["value"])


SLOW_SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)


def create_slow_app() -> Starlette:
    return create_app(schema=SLOW_SCHEMA)
