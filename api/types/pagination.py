"""Relay-style connections: `edges { cursor node }` and `pageInfo { hasNextPage endCursor }`.

Cursors are opaque (see `resolvers.pagination`); `first` defaults to 20 and must be 1-100.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

import strawberry

if TYPE_CHECKING:
    from resolvers.pagination import Page

__all__ = ["After", "Connection", "Edge", "PageInfo", "PageSize", "to_connection"]

PageSize = Annotated[int | None, strawberry.argument(description="Page size, 1-100.")]
After = Annotated[str | None, strawberry.argument(description="An `endCursor` to continue after.")]

NodeT = TypeVar("NodeT")
ItemT = TypeVar("ItemT")


@strawberry.type(description="Pass `endCursor` as `after` to get the next page.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether another page follows.")
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor; null on an empty page."
    )


@strawberry.type(description="One item of a page, with the cursor that points at it.")
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The item.")
    encode_cursor: strawberry.Private[Callable[[], str]]

    @strawberry.field(description="Pass it as `after` to continue after this item.")
    def cursor(self) -> str:
        """Encoded when asked for (most queries read only `node`)."""
        return self.encode_cursor()


@strawberry.type(description="A page of a list (Relay connection); cursors are opaque.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The page's items with cursors.")
    page_info: PageInfo = strawberry.field(description="Where the page ends.")

    @strawberry.field(description="The page's items, for clients that need no cursors.")
    def nodes(self) -> list[NodeT]:
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
