"""The API running in-process on the real PostgreSQL and Redis, with a small schema of its own.

One PostgreSQL schema per test session, made by `python -m orm db push` (the domain tables, so
auth and the response-time writer find theirs) plus a `counters` table the small schema reads
and writes. Each test gets its own Redis key prefix in `TEST_REDIS_URL`'s database, deleted
afterwards, and its own app (lifespan run, httpx over ASGI).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from typing import cast

import httpx
import pytest
import strawberry
from redis.asyncio import Redis
from starlette.applications import Starlette

from api.app import create_app
from api.auth import hash_token
from api.context import Context, Services
from api.database import push_schema
from api.settings import Settings
from prisma import Prisma
from resolvers.errors import NotFoundError
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL, with_query

Info = strawberry.Info[Context, None]

TOKENS = {"alice": "alice-token", "bob": "bob-token", "root": "root-token"}


@dataclass(slots=True)
class Computations:
    """How often the small schema's resolvers really ran (not served from a cache)."""

    counter: int = 0
    total: int = 0


COMPUTED = Computations()


async def _read_counter(info: Info, name: str) -> int:
    row = await info.context.scope.db.query_first(
        "SELECT value FROM counters WHERE name = $1", name
    )
    return 0 if row is None else int(row["value"])


@strawberry.type
class Nested:
    @strawberry.field
    def child(self) -> Nested:
        return Nested()

    @strawberry.field
    def leaf(self) -> int:
        return 1


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"

    @strawberry.field
    async def counter(self, info: Info, name: str, pause_ms: int = 0) -> int:
        """Reads the database (one statement); slow on demand, to overlap concurrent misses."""
        COMPUTED.counter += 1
        info.context.scope.depends_on(f"counter:{name}", ttl=60)
        await asyncio.sleep(pause_ms / 1000)
        return await _read_counter(info, name)

    @strawberry.field
    async def statements(self, info: Info, n: int) -> int:
        """Runs `n` statements, one after another."""
        for _ in range(n):
            await info.context.scope.db.query_raw("SELECT 1 AS one")
            await asyncio.sleep(0)
        return n

    @strawberry.field
    async def me(self, info: Info) -> str | None:
        viewer = info.context.scope.viewer
        if viewer.user_id is None:
            return None
        info.context.scope.depends_on(f"user:{viewer.user_id}", ttl=60)
        row = await info.context.scope.db.query_first(
            "SELECT name FROM users WHERE id = $1", viewer.user_id
        )
        return None if row is None else str(row["name"])

    @strawberry.field
    async def cached_total(self, info: Info, name: str) -> int:
        """The resolver-level cache (`ResultCache`), keyed by `name`."""

        async def compute() -> int:
            COMPUTED.total += 1
            return await _read_counter(info, name)

        return await info.context.scope.cache.get_or_compute(
            f"total:{name}",
            compute,
            ttl=60,
            tags=[f"counter:{name}"],
            encode=lambda v: str(v).encode(),
            decode=lambda b: int(b),
        )

    @strawberry.field
    def nested(self) -> Nested:
        return Nested()

    @strawberry.field
    async def broken(self, info: Info) -> int:
        await info.context.scope.db.query_raw("SELECT secret_column FROM no_such_table")
        return 0

    @strawberry.field
    async def sleep(self, info: Info, ms: int) -> int:
        await info.context.scope.db.query_raw("SELECT pg_sleep($1::float8 / 1000)", ms)
        return ms

    @strawberry.field
    def missing(self) -> str:
        raise NotFoundError("dream", "nope")


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def bump(self, info: Info, name: str) -> int:
        row = await info.context.scope.db.query_first(
            "INSERT INTO counters (name, value) VALUES ($1, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
            name,
        )
        info.context.scope.dirty_tags.add(f"counter:{name}")
        return 0 if row is None else int(row["value"])


SMALL_SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)


@pytest.fixture(scope="session")
async def api_database() -> AsyncGenerator[str]:
    """A pushed schema with the domain tables, a `counters` table and three users."""
    name = f"api_{uuid.uuid4().hex[:10]}"
    url = with_query(TEST_DATABASE_URL, schema=name)
    admin = Prisma(datasource={"url": TEST_DATABASE_URL}, connection_limit=1)
    await admin.connect()
    try:
        await admin.execute_raw(f'CREATE SCHEMA "{name}"')
        await push_schema(url)
        async with Prisma(datasource={"url": url}, connection_limit=1) as db:
            await _fill(db)
        yield url
    finally:
        await admin.execute_raw(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        await admin.disconnect()


async def _fill(db: Prisma) -> None:
    await db.execute_raw("CREATE TABLE counters (name text PRIMARY KEY, value int NOT NULL)")
    for user, token in TOKENS.items():
        await db.execute_raw(
            "INSERT INTO users (id, email, name, password_hash, api_token_hash, role, "
            "updated_at) VALUES ($1, $2, $3, 'x', $4, $5::\"UserRole\", now())",
            f"u_{user}",
            f"{user}@example.com",
            user.title(),
            hash_token(token),
            "ADMIN" if user == "root" else "USER",
        )


async def redis_keys(prefix: str) -> dict[bytes, int]:
    """Every key under `prefix` in the test Redis, with its TTL in seconds (-1: none)."""
    redis = Redis.from_url(TEST_REDIS_URL)  # pyright: ignore[reportUnknownMemberType]
    try:
        scan = cast(
            "AsyncIterator[bytes]",
            redis.scan_iter(match=f"{prefix}*"),  # pyright: ignore[reportUnknownMemberType]
        )
        keys = [key async for key in scan]
        return {key: await redis.ttl(key) for key in keys}
    finally:
        await redis.aclose()


@pytest.fixture
async def redis_prefix() -> AsyncGenerator[str]:
    prefix = f"test:{uuid.uuid4().hex[:10]}:"
    yield prefix
    keys = await redis_keys(prefix)
    if keys:
        redis = Redis.from_url(TEST_REDIS_URL)  # pyright: ignore[reportUnknownMemberType]
        await redis.delete(*keys)
        await redis.aclose()


@pytest.fixture
def settings(api_database: str, redis_prefix: str) -> Settings:
    return Settings(
        database_url=api_database,
        redis_url=TEST_REDIS_URL,
        cache_prefix=redis_prefix,
        db_connection_limit=4,
        response_time_sample_rate=0.0,
    )


@dataclass(slots=True)
class Api:
    app: Starlette
    client: httpx.AsyncClient

    @property
    def services(self) -> Services:
        return self.app.state.services

    async def query(
        self,
        query: str,
        variables: dict[str, object] | None = None,
        *,
        user: str | None = None,
        **body: object,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {TOKENS[user]}"} if user else {}
        payload = {"query": query, "variables": variables, **body}
        return await self.client.post("/graphql", json=payload, headers=headers)


RunApi = Callable[..., AbstractAsyncContextManager[Api]]


@pytest.fixture
def run_api(settings: Settings) -> RunApi:
    """`async with run_api(**setting_overrides) as api:` an app on the small schema."""

    @asynccontextmanager
    async def running(
        schema: strawberry.Schema = SMALL_SCHEMA, **overrides: object
    ) -> AsyncGenerator[Api]:
        app = create_app(replace(settings, **overrides), schema=schema)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
                yield Api(app, client)

    return running
