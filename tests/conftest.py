"""Fixtures every test folder shares: the real PostgreSQL and Redis, a clean schema per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg
import pytest

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class _Connection(Protocol):
    """The part of asyncpg's connection these fixtures use (asyncpg ships no types)."""

    async def execute(self, query: str) -> str: ...

    async def close(self) -> None: ...


_connect = cast(
    Callable[[str], Awaitable[_Connection]],
    asyncpg.connect,  # pyright: ignore[reportUnknownMemberType]
)


def with_query(url: str, **params: str) -> str:
    """`url` with `params` added to (or replacing those in) its query string."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture
async def pg_schema() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL schema; dropped afterwards. Yields its name."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await _connect(TEST_DATABASE_URL)
    try:
        await conn.execute(f'CREATE SCHEMA "{name}"')
        yield name
    finally:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        await conn.close()


@pytest.fixture
def schema_url(pg_schema: str) -> str:
    """`TEST_DATABASE_URL` pointed at the fresh schema (Prisma's `?schema=` parameter)."""
    return with_query(TEST_DATABASE_URL, schema=pg_schema)
