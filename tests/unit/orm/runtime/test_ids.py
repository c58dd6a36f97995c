"""cuid(): Prisma's format, unique under rapid generation, roughly time-ordered."""

from __future__ import annotations

import re
import time

from orm.runtime.ids import cuid

CUID = re.compile(r"^c[0-9a-z]{24}$")


def test_format() -> None:
    assert CUID.match(cuid())


def test_unique_when_generated_quickly() -> None:
    ids = [cuid() for _ in range(50_000)]

    assert len(set(ids)) == len(ids)


def test_later_ids_sort_after_earlier_ones() -> None:
    first = cuid()
    time.sleep(0.002)

    assert cuid()[1:9] > first[1:9]
