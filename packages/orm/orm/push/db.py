"""Typed views of the parts of asyncpg `db push` uses (asyncpg ships no type information)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Protocol, cast

import asyncpg

from orm.push.dmmf import JsonValue

__all__ = ["Connection", "Record", "Transaction", "open_connection"]


class Record(Protocol):
    def __getitem__(self, key: str | int, /) -> JsonValue: ...


class Transaction(Protocol):
    async def __aenter__(self) -> object: ...

    async def __aexit__(self, *exc_info: object) -> bool | None: ...


class Connection(Protocol):
    async def execute(self, query: str, *args: object) -> str: ...

    async def executemany(self, command: str, args: Iterable[Sequence[object]], /) -> None: ...

    async def fetch(self, query: str, *args: object) -> list[Record]: ...

    async def fetchval(self, query: str, *args: object) -> JsonValue: ...

    def transaction(self) -> Transaction: ...

    async def close(self) -> None: ...


async def open_connection(
    dsn: str, *, connect_timeout: float, server_settings: dict[str, str]
) -> Connection:
    connect = cast(Callable[..., Awaitable[object]], asyncpg.connect)  # pyright: ignore[reportUnknownMemberType]
    conn = await connect(dsn, timeout=connect_timeout, server_settings=server_settings)
    return cast(Connection, conn)
