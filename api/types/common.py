"""What every GraphQL type module shares: the typed `Info`, the request scope, number helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

import strawberry

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from resolvers.scope import RequestScope

__all__ = ["Info", "ScopedContext", "scope_of", "score"]


class ScopedContext(Protocol):
    """What `api/context.py` gives each request (or websocket): `info.context.scope`, and the
    HTTP request or websocket it came on."""

    @property
    def scope(self) -> RequestScope: ...

    @property
    def request(self) -> HTTPConnection: ...


Info = strawberry.Info[ScopedContext, None]


def scope_of(info: Info) -> RequestScope:
    return info.context.scope


def score(value: Decimal | float) -> float:
    """Scores and percentages (DECIMAL(5,2)) as GraphQL Floats."""
    return float(value)
