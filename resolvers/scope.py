"""What a resolver gets instead of Strawberry's `Info`: the request's scope.

CONTRACT: `api/context.py` builds one `RequestScope` per request (after authenticating the bearer
token into a `Viewer`); resolvers in this package take it as their first argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders import Loaders
    from loaders.cache import ResultCache
    from prisma import Prisma

__all__ = ["RequestScope", "Viewer", "ViewerRole"]


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
    # Tags a mutation touched; invalidated after the response's transaction commits.
    dirty_tags: set[str] = field(default_factory=set[str])
