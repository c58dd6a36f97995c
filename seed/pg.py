"""The typed edge between the seed and asyncpg (which ships no type information).

`connect` accepts the same `DATABASE_URL` as the API: Prisma-style query parameters (`schema`,
`connection_limit`, ...) are stripped before asyncpg sees them, and `?schema=` becomes the
session's `search_path`, so every statement in `seed/` uses unqualified table names.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

__all__ = ["Connection", "Row", "connect", "split_url"]

# Query parameters of ours (and Prisma's) that asyncpg would send to the server as settings.
_NOT_FOR_ASYNCPG = frozenset(
    {
        "schema",
        "connection_limit",
        "pool_timeout",
        "connect_timeout",
        "statement_timeout",
        "pgbouncer",
        "socket_timeout",
    }
)


class Row(Protocol):
    def __getitem__(self, key: str | int, /) -> object: ...


class Connection(Protocol):
    async def execute(self, query: str, *args: object) -> str: ...

    async def fetch(self, query: str, *args: object) -> list[Row]: ...

    async def fetchval(self, query: str, *args: object) -> object: ...

    async def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]] | AsyncIterable[Sequence[object]],
        columns: Sequence[str],
    ) -> str: ...

    def transaction(self) -> AbstractAsyncContextManager[object]: ...

    async def close(self) -> None: ...


def split_url(url: str) -> tuple[str, str]:
    """`(dsn for asyncpg, schema)`; the schema is `public` unless `?schema=` names another."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = dict(query).get("schema") or "public"
    kept = [(key, value) for key, value in query if key not in _NOT_FOR_ASYNCPG]
    return urlunsplit(parts._replace(query=urlencode(kept))), schema


async def connect(url: str) -> Connection:
    """One connection tuned for bulk loading, with `search_path` set to the URL's schema."""
    dsn, schema = split_url(url)
    settings = {
        "search_path": f'"{schema}"',
        "statement_timeout": "0",
        "synchronous_commit": "off",
        "maintenance_work_mem": "512MB",
        "application_name": "seed",
    }
    connection = asyncpg.connect(dsn, server_settings=settings)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return cast(Connection, await connection)
