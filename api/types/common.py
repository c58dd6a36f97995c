"""What every GraphQL type module shares: the typed `Info`, the request scope, number helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

import strawberry

if TYPE_CHECKING:
    from resolvers.scope import RequestScope

__all__ = ["Info", "ScopedContext", "scope_of", "score"]


class ScopedContext(Protocol):
    """What `api/context.py` gives each request: `info.context.scope`."""

    @property
    def scope(self) -> RequestScope: ...


Info = strawberry.Info[ScopedContext, None]


def scope_of(info: Info) -> RequestScope:
    return info.context.scope


def score(value: Decimal | float) -> float:
    """Scores and percentages (DECIMAL(5,2)) as GraphQL Floats."""
    return float(value)
