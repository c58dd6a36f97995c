"""Relay-style connections: `edges { cursor node }` and `pageInfo { hasNextPage endCursor }`.

Cursors are opaque (see `resolvers.pagination`); `first` defaults to 20 and must be 1-100.
"""

from __future__ import annotations

import functools
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
    node: NodeT
    encode_cursor: strawberry.Private[Callable[[], str]]

    @strawberry.field
    def cursor(self) -> str:
        """Encoded when asked for (most queries read only `node`)."""
        return self.encode_cursor()


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[NodeT]:
        """The edges' nodes, for clients that do not need per-item cursors."""
        return [edge.node for edge in self.edges]


def to_connection(page: Page[ItemT], convert: Callable[[ItemT], NodeT]) -> Connection[NodeT]:
    cursor_of = page.cursor_of
    return Connection(
        edges=[
            Edge(node=convert(item), encode_cursor=functools.partial(cursor_of, item))
            for item in page.items
        ],
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
    )
