"""Keyset (cursor) pagination shared by every list: opaque cursors, page sizes, page building.

A cursor is the URL-safe base64 of the JSON `[sort, key, id]`: the name of the sort it was made
for, the row's value of the sort field and its id (the tie-breaker). The next page is the rows
strictly after `(key, id)` in the sort's direction, so pages stay stable while rows are inserted,
and every page is one index range scan.

Page sizes: `first` defaults to 20 and must be between 1 and 100; anything else is a
`ValidationError` on `first` (we do not clamp silently, so a client asking for 500 learns the
limit instead of getting a short page it mistakes for the end).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Literal, TypeVar, cast

from loaders.batch import storable
from resolvers.errors import ValidationError

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Cursor",
    "Page",
    "PageRequest",
    "SortSpec",
    "build_page",
    "decode_cursor",
    "encode_cursor",
    "keyset_where",
    "order_by",
    "page_request",
    "page_size",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1

T = TypeVar("T")
CursorKey = str | int | float | bool | None
KeyKind = Literal["datetime", "int", "str", "bool"]
Direction = Literal["asc", "desc"]


@dataclass(frozen=True, slots=True)
class SortSpec:
    """One way a list can be ordered: by `field` (the client's camelCase name), then by id."""

    name: str
    field: str
    direction: Direction
    kind: KeyKind


@dataclass(frozen=True, slots=True)
class Cursor:
    sort: str
    key: CursorKey | datetime
    id: str


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int
    after: Cursor | None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """The page's items in order. A cursor is encoded only when asked for: most clients read
    `nodes` or `edges { node }` and never a cursor but the last."""

    items: list[T]
    has_next_page: bool
    cursor_of: Callable[[T], str]

    @property
    def edges(self) -> list[tuple[str, T]]:
        return [(self.cursor_of(item), item) for item in self.items]

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_of(self.items[-1]) if self.items else None


def encode_cursor(sort: str, key: CursorKey | datetime, id_: str) -> str:
    plain = key.isoformat() if isinstance(key, datetime) else key
    raw = json.dumps([sort, plain, id_], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(raw: str, spec: SortSpec, *, field: str = "after") -> Cursor:
    bad = ValidationError(field, "This cursor is not valid: pass an `endCursor` from a page.")
    try:
        padded = raw + "=" * (-len(raw) % 4)
        decoded: object = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error):
        raise bad from None
    if not isinstance(decoded, list):
        raise bad
    items = cast("list[object]", decoded)
    if len(items) != 3:
        raise bad
    sort, key, id_ = items
    if sort != spec.name:
        raise ValidationError(
            field, f"This cursor belongs to the {sort} order: ask for that order or drop `after`."
        )
    if not isinstance(id_, str) or not storable(id_):
        raise bad
    return Cursor(sort=spec.name, key=_parse_key(key, spec.kind, bad), id=id_)


def _parse_key(key: object, kind: KeyKind, bad: ValidationError) -> CursorKey | datetime:
    if kind == "datetime" and isinstance(key, str):
        try:  # our cursors carry UTC offsets; a time PostgreSQL can't hold is no cursor of ours
            parsed = datetime.fromisoformat(key)
            if parsed.tzinfo is None:
                raise bad
            return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            raise bad from None
    if kind == "int" and isinstance(key, int) and not isinstance(key, bool):
        if not INT4_MIN <= key <= INT4_MAX:  # the sort columns are 4-byte integers
            raise bad
        return key
    if kind == "str" and isinstance(key, str) and storable(key):
        return key
    if kind == "bool" and isinstance(key, bool):
        return key
    raise bad


def page_size(first: int | None, *, field: str = "first") -> int:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            field, f"Ask for between 1 and {MAX_PAGE_SIZE} items per page (got {size})."
        )
    return size


def page_request(first: int | None, after: str | None, spec: SortSpec) -> PageRequest:
    return PageRequest(first=page_size(first), after=decode_cursor(after, spec) if after else None)


def order_by(spec: SortSpec) -> list[dict[str, str]]:
    return [{spec.field: spec.direction}, {"id": spec.direction}]


def keyset_where(spec: SortSpec, cursor: Cursor | None) -> dict[str, object]:
    """The `where` clause selecting the rows after `cursor` in `spec`'s order ({} for none)."""
    if cursor is None:
        return {}
    op = "lt" if spec.direction == "desc" else "gt"
    return {
        "OR": [
            {spec.field: {op: cursor.key}},
            {spec.field: cursor.key, "id": {op: cursor.id}},
        ]
    }


def build_page(
    rows: Sequence[T],
    request: PageRequest,
    spec: SortSpec,
    *,
    key_of: Callable[[T], CursorKey | datetime],
    id_of: Callable[[T], str],
) -> Page[T]:
    """`rows` were fetched with `take=first + 1`; the extra row only tells there is more."""

    def cursor_of(row: T) -> str:
        return encode_cursor(spec.name, key_of(row), id_of(row))

    shown = list(rows[: request.first])
    return Page(items=shown, has_next_page=len(rows) > request.first, cursor_of=cursor_of)
