"""A compiled read is cached as a resolved one is: under the same tags, for the same TTL, so
every write that invalidates one invalidates the other."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import cast

import pytest
from redis.asyncio import Redis

from api.schema import schema
from api.settings import Execution
from prisma import Prisma
from tests.api.conftest import Api, RunApi
from tests.api.domain_fixtures import ALICE, BOB, DOMAIN_TABLES
from tests.compiled.conftest import VIEWERS, World, seed_world
from tests.conftest import TEST_REDIS_URL

QUERIES = (
    "{ me { name email } }",
    "query ($id: ID!) { user(id: $id) { name } }",
    "query ($id: ID!) { dream(id: $id) { title owner { name } aiTests { nodes { id } } } }",
    "{ dreams(first: 3) { edges { node { id owner { id } } } pageInfo { hasNextPage } } }",
    "{ dreams(filter: {mine: true}, sort: OLDEST, first: 2) { nodes { title } } }",
    'query ($owner: ID!) { dreams(filter: {ownerId: $owner, tags: ["ALPHA"]}) { nodes { id } } }',
    "{ dreams(filter: {category: TECHNOLOGY, status: ACTIVE}) { nodes { testCount } } }",
    "{ myBudget { spent percentUsed } tokenUsage(groupBy: PROJECT) { label } }",
    "{ tokenUsage(groupBy: DAY) { key } budgetAlerts(threshold: 0) { user { name } } }",
    "{ modelComparison { model } categoryPerformance { category } }",
    "query ($p: ID!) { project(id: $p) { name owner { id } fileCount viewerHasLiked "
    "collaborators { user { name } } files { nodes { path } } messages { nodes { author { id } } } "
    "} }",
    "{ projects(first: 2) { edges { node { id owner { name } collaborators { role } } } } }",
    "{ projects(sort: RECENT, filter: {mine: true}) { nodes { name } } }",
    'query ($owner: ID!) { projects(filter: {ownerId: $owner, search: "s"}) { nodes { id } } }',
)


@dataclass(slots=True)
class Cached:
    compiled: Api
    resolved: Api
    world: World


@pytest.fixture
async def cached(
    run_api: RunApi, domain_database: str, redis_prefix: str
) -> AsyncGenerator[Cached]:
    common = {"schema": schema, "database_url": domain_database}
    async with (
        run_api(**common, cache_prefix=f"{redis_prefix}c:") as compiled,
        run_api(
            **common, cache_prefix=f"{redis_prefix}r:", execution=Execution.RESOLVED
        ) as resolved,
    ):
        db: Prisma = compiled.services.db
        await db.execute_raw(f"TRUNCATE {DOMAIN_TABLES} CASCADE")
        yield Cached(compiled, resolved, await seed_world(db))


async def _operation_tags(redis: Redis, prefix: str) -> tuple[set[str], list[int]]:
    """The tags recorded for operation entries under `prefix`, and those entries' TTLs."""
    tags: set[str] = set()
    ttls: list[int] = []
    async for raw in redis.scan_iter(match=f"{prefix}*"):  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        key = cast("bytes", raw).decode()
        if ":op:" in key and ":tag:" not in key and ":lock:" not in key:
            ttls.append(int(await redis.ttl(key)))
        elif key.startswith(f"{prefix}tag:"):
            members = cast("set[bytes]", await redis.smembers(key))  # pyright: ignore[reportUnknownMemberType, reportGeneralTypeIssues]
            if any(b":op:" in member for member in members):
                tags.add(key.removeprefix(f"{prefix}tag:"))
    return tags, ttls


async def test_compiled_reads_record_the_resolvers_tags_and_ttls(
    cached: Cached, redis_prefix: str
) -> None:
    redis = Redis.from_url(TEST_REDIS_URL)  # pyright: ignore[reportUnknownMemberType]
    world = cached.world
    variables = {"id": world.private, "owner": ALICE, "p": world.alice_projects[1]}
    seen: set[str] = set()
    try:
        for query in QUERIES:
            for user in VIEWERS:
                for variant in (
                    {**variables},
                    {**variables, "id": BOB, "owner": BOB, "p": world.alice_projects[0]},
                ):
                    found: list[tuple[set[str], list[int]]] = []
                    for name, api in (("c", cached.compiled), ("r", cached.resolved)):
                        used: dict[str, object] = {
                            k: v for k, v in variant.items() if f"${k}" in query
                        }
                        response = await api.query(query, used, user=user)
                        assert response.status_code == 200
                        found.append(await _operation_tags(redis, f"{redis_prefix}{name}:"))
                        async for key in redis.scan_iter(match=f"{redis_prefix}{name}:*"):  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
                            await redis.delete(key)  # pyright: ignore[reportUnknownArgumentType]
                    (compiled_tags, compiled_ttls), (resolved_tags, resolved_ttls) = found
                    assert compiled_tags == resolved_tags, (query, user)
                    seen |= compiled_tags
                    # Read back a moment after each was stored: equal within a few seconds
                    # (a busy machine crosses a ten-second boundary: 299 against 300).
                    pairs = zip(sorted(compiled_ttls), sorted(resolved_ttls), strict=True)
                    for c_ttl, r_ttl in pairs:
                        assert abs(c_ttl - r_ttl) <= 5, (query, user, c_ttl, r_ttl)
    finally:
        await redis.aclose()
    assert {f"dream:{world.private}", "dreams:public", f"user:{ALICE}:dreams"} <= seen
    projects = {f"project:{world.alice_projects[1]}", "projects:public", f"user:{ALICE}:projects"}
    assert projects <= seen


async def test_platform_analytics_are_cached_once_for_every_viewer(cached: Cached) -> None:
    """Operations of platform-wide root fields only answer the same bytes to everyone: the
    first viewer's read serves the others; one that reads the viewer stays per viewer."""
    analytics = "{ modelComparison { model } categoryPerformance { category } aiModels { name } }"
    spend = "{ myBudget { spent } categoryPerformance { category } }"
    for user in VIEWERS:
        await cached.compiled.query("{ me { id } }", user=user)  # tokens known from here on
    first = [await cached.compiled.query(analytics, user=user) for user in VIEWERS]
    mixed = [await cached.compiled.query(spend, user=user) for user in VIEWERS[1:]]

    assert [r.headers["x-cache"] for r in first] == ["MISS", "HIT", "HIT", "HIT"]
    assert [r.headers["x-sql-statements"] for r in first] == ["1", "0", "0", "0"]
    assert len({r.content for r in first}) == 1
    assert [r.headers["x-cache"] for r in mixed] == ["MISS", "MISS", "MISS"]
