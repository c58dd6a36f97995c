"""Pure parts of the seed (no database): ids, scales, URL handling."""

from __future__ import annotations

import random
import re

import pytest

from seed.config import SCALES, resolve_counts
from seed.ids import IdFactory
from seed.pg import split_url


def test_ids_look_like_cuids_and_sort_by_time():
    new_id = IdFactory(random.Random(1))
    ids = [new_id(1_750_000_000 + i * 0.5) for i in range(1000)]
    assert all(re.fullmatch(r"c[0-9a-f]{24}", i) for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert IdFactory(random.Random(1))(1_750_000_000) == ids[0]


def test_scales_grow_and_large_is_ten_times_medium():
    assert SCALES["tiny"].users < SCALES["small"].users < SCALES["medium"].users
    assert SCALES["medium"].ai_tests == 1_000_000
    assert SCALES["large"].token_usage == 10 * SCALES["medium"].token_usage


def test_overrides_replace_single_counts():
    counts = resolve_counts("small", {"messages": 7})
    assert counts.messages == 7
    assert counts.users == SCALES["small"].users


@pytest.mark.parametrize(
    ("scale", "overrides", "message"),
    [
        ("huge", {}, "unknown scale 'huge'"),
        ("tiny", {"users": -1}, "can't be negative"),
        ("tiny", {"projects": 0}, "need projects"),
        ("tiny", {"dreams": 0}, "ai_tests need dreams"),
    ],
)
def test_impossible_counts_are_explained(scale: str, overrides: dict[str, int], message: str):
    with pytest.raises(ValueError, match=message):
        resolve_counts(scale, overrides)


def test_prisma_parameters_are_stripped_and_schema_extracted():
    dsn, schema = split_url(
        "postgresql://u@h:5432/db?schema=app&connection_limit=5&sslmode=disable"
    )
    assert (dsn, schema) == ("postgresql://u@h:5432/db?sslmode=disable", "app")
    assert split_url("postgresql://u@h/db")[1] == "public"
