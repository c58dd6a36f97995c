"""Relay-style connections: `edges { cursor node }` and `pageInfo { hasNextPage endCursor }`.

Cursors are opaque (see `resolvers.pagination`); `first` defaults to 20 and must be 1-100.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

import strawberry

if TYPE_CHECKING:
    from resolvers.pagination import Page

__all__ = ["Connection", "Edge", "PageInfo", "to_connection"]

NodeT = TypeVar("NodeT")
ItemT = TypeVar("ItemT")


@strawberry.type(description="Pass `endCursor` as `after` to get the next page.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[NodeT]:
        """The edges' nodes, for clients that do not need per-item cursors."""
        return [edge.node for edge in self.edges]


def to_connection(page: Page[ItemT], convert: Callable[[ItemT], NodeT]) -> Connection[NodeT]:
    return Connection(
        edges=[Edge(cursor=cursor, node=convert(item)) for cursor, item in page.edges],
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
    )
