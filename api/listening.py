"""A dedicated PostgreSQL connection for LISTEN, as typed as asyncpg's untyped API allows.

Used by the dream events of subscriptions (`api/live.py`) and by the cache epoch
(`api/cache/epoch.py`): each keeps one such connection per process, outside the pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, cast

import asyncpg

__all__ = ["ListenConnection", "connect_listener"]


class ListenConnection(Protocol):
    """The part of asyncpg's connection a listener uses (asyncpg ships no types)."""

    async def fetchval(self, query: str, *args: object) -> object: ...

    async def add_listener(self, channel: str, callback: Callable[..., None]) -> None: ...

    def add_termination_listener(self, callback: Callable[..., None]) -> None: ...

    def is_closed(self) -> bool: ...

    async def close(self) -> None: ...


connect_listener = cast(
    "Callable[..., Awaitable[ListenConnection]]",
    asyncpg.connect,  # pyright: ignore[reportUnknownMemberType]
)
