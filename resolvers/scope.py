"""What a resolver gets instead of Strawberry's `Info`: the request's scope.

CONTRACT: `api/context.py` builds one `RequestScope` per request (after authenticating the bearer
token into a `Viewer`); resolvers in this package take it as their first argument.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders import Loaders
    from loaders.cache import ResultCache
    from prisma import Prisma

__all__ = ["RequestScope", "Viewer", "ViewerRole", "WriteFloor"]

WriteFloor = Callable[[bool], Awaitable[int | None]]
"""`floor(shared)`: the WAL position a replica must have replayed before it may serve this
request's reads (the viewer's last write; with `shared`, anyone's), None for any replica."""


async def _any_replica(shared: bool) -> int | None:
    return None


class ViewerRole(StrEnum):
    ANONYMOUS = "ANONYMOUS"
    USER = "USER"
    ADMIN = "ADMIN"


@dataclass(frozen=True, slots=True)
class Viewer:
    user_id: str | None = None
    role: ViewerRole = ViewerRole.ANONYMOUS

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def cache_scope(self) -> str:
        """Part of every cache key whose value depends on who is asking."""
        return f"user:{self.user_id}" if self.user_id else "public"


@dataclass(slots=True)
class RequestScope:
    db: Prisma
    loaders: Loaders
    cache: ResultCache
    viewer: Viewer
    # Tags of everything the operation read (`dream:{id}`, `user:{id}:dreams`, `models`, ...):
    # the whole-operation cache stores the response under them.
    read_tags: set[str] = field(default_factory=set[str])
    # Shortest TTL among what was read; the operation cache uses it for the response.
    max_age: int | None = None
    # Tags a mutation touched; invalidated after its transaction commits.
    dirty_tags: set[str] = field(default_factory=set[str])
    # Read-your-writes for replica reads (see `resolvers/routing.py`); the API sets it.
    write_floor: WriteFloor = _any_replica

    def depends_on(self, *tags: str, ttl: int) -> None:
        """Record what a read depends on, for the operation cache."""
        self.read_tags.update(tags)
        self.max_age = ttl if self.max_age is None else min(self.max_age, ttl)
