"""Cursors and page sizes, without I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from resolvers.errors import ValidationError
from resolvers.pagination import (
    Cursor,
    PageRequest,
    SortSpec,
    build_page,
    decode_cursor,
    encode_cursor,
    keyset_where,
    page_request,
)

RECENT = SortSpec("RECENT", "createdAt", "desc", "datetime")
POPULAR = SortSpec("POPULAR", "likes", "desc", "int")
NAME = SortSpec("NAME", "name", "asc", "str")


def test_cursors_round_trip_each_key_kind() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert decode_cursor(encode_cursor("RECENT", when, "c1"), RECENT) == Cursor(
        "RECENT", when, "c1"
    )
    assert decode_cursor(encode_cursor("POPULAR", 7, "c2"), POPULAR) == Cursor("POPULAR", 7, "c2")
    assert decode_cursor(encode_cursor("NAME", "b", "c3"), NAME) == Cursor("NAME", "b", "c3")


def test_cursors_are_opaque_url_safe_text() -> None:
    cursor = encode_cursor("POPULAR", 7, "c2")
    assert cursor.isascii()
    assert not set(cursor) & set("=/+")


@pytest.mark.parametrize(
    "raw",
    ["", "@@@", "bm90IGpzb24", encode_cursor("POPULAR", "seven", "c2"), "WzEsMl0"],
)
def test_malformed_cursors_are_field_errors(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        decode_cursor(raw, POPULAR)
    assert caught.value.field == "after"


def test_a_cursor_only_fits_its_own_sort() -> None:
    with pytest.raises(ValidationError, match="POPULAR order"):
        decode_cursor(encode_cursor("POPULAR", 7, "c2"), RECENT)


@pytest.mark.parametrize("first", [0, -1, 101])
def test_page_sizes_outside_1_to_100_are_refused(first: int) -> None:
    with pytest.raises(ValidationError) as caught:
        page_request(first, None, POPULAR)
    assert caught.value.field == "first"


def test_page_size_defaults_to_20() -> None:
    assert page_request(None, None, POPULAR) == PageRequest(first=20, after=None)


def test_keyset_where_continues_after_the_cursor_with_id_as_tie_breaker() -> None:
    cursor = Cursor("POPULAR", 7, "c2")
    assert keyset_where(POPULAR, None) == {}
    assert keyset_where(POPULAR, cursor) == {
        "OR": [{"likes": {"lt": 7}}, {"likes": 7, "id": {"lt": "c2"}}]
    }
    assert keyset_where(NAME, Cursor("NAME", "b", "c3"))["OR"] == [
        {"name": {"gt": "b"}},
        {"name": "b", "id": {"gt": "c3"}},
    ]


def _likes(row: tuple[str, int]) -> int:
    return row[1]


def _id(row: tuple[str, int]) -> str:
    return row[0]


def test_build_page_uses_the_extra_row_only_to_tell_there_is_more() -> None:
    rows = [("a", 3), ("b", 2), ("c", 1)]
    request = PageRequest(first=2, after=None)
    page = build_page(rows, request, POPULAR, key_of=_likes, id_of=_id)

    assert page.items == [("a", 3), ("b", 2)]
    assert page.has_next_page
    assert page.end_cursor == encode_cursor("POPULAR", 2, "b")
    last = build_page(rows[2:], request, POPULAR, key_of=_likes, id_of=_id)
    assert not last.has_next_page


def test_cursors_are_encoded_only_when_asked_for() -> None:
    asked: list[str] = []

    def counted_id(row: tuple[str, int]) -> str:
        asked.append(row[0])
        return row[0]

    rows = [("a", 3), ("b", 2), ("c", 1)]
    page = build_page(
        rows, PageRequest(first=3, after=None), POPULAR, key_of=_likes, id_of=counted_id
    )
    assert asked == []
    assert [cursor for cursor, _ in page.edges][1] == encode_cursor("POPULAR", 2, "b")
    assert asked == ["a", "b", "c"]
