"""Python's arithmetic in SQL (`api/compiled/numbers.py`): rounding floats as `round` does and
percentages as `decimal` computes them, compared value by value with Python."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest

from api.compiled import forms
from api.compiled.numbers import decimal_percent, rounded
from tests.compiled.conftest import Paths


def _floats() -> list[float]:
    """Ties at the next digit, exact tenths and hundredths, and random values."""
    picker = random.Random(11)
    values = [49.995, 0.125, 0.005, 0.015, 1.005, 2.675, 99.995, 100.0, 0.0, 33.335, 0.01]
    values += [0.05, 0.15, 0.25, 1234.45, 999.95, 1e-9, 5e6 + 0.05]
    values += [n / 1000 for n in range(0, 100_001, 997)]
    values += [picker.uniform(0, 100) for _ in range(200)]
    values += [picker.uniform(0, 10_000) for _ in range(200)]
    values += [round(picker.uniform(0, 100), 3) for _ in range(200)]
    return values


@pytest.mark.parametrize("places", [1, 2])
async def test_floats_round_as_python_rounds_them(paths: Paths, places: int) -> None:
    values = _floats()
    rows = await paths.compiled.services.db.query_raw(
        f"SELECT {forms.float_(rounded('v.x', places))} AS r FROM unnest($1::float8[]) "
        "WITH ORDINALITY AS v(x, n) ORDER BY v.n",
        values,
    )
    assert [row["r"] for row in rows] == [json.dumps(round(v, places)) for v in values]


def _amounts() -> list[tuple[Decimal, Decimal]]:
    """Spends (scale 6) and budgets (scale 2): exact quotients, long ones, tiny and huge."""
    picker = random.Random(5)
    pairs = [(Decimal("15"), Decimal("20")), (Decimal("0.000001"), Decimal("99999999.99"))]
    pairs += [(Decimal("1"), Decimal("3")), (Decimal("2"), Decimal("3.33"))]
    pairs += [(Decimal("9999999.999999"), Decimal("0.01")), (Decimal(0), Decimal(7))]
    for _ in range(400):
        spent = Decimal(picker.randrange(0, 10**12)).scaleb(-6)
        budget = Decimal(picker.randrange(1, 10 ** picker.choice((3, 6, 10)))).scaleb(-2)
        pairs.append((spent, budget))
    return pairs


async def test_percentages_are_pythons_decimal_arithmetic(paths: Paths) -> None:
    pairs = _amounts()
    percent = decimal_percent("v.s", "v.b")
    rows = await paths.compiled.services.db.query_raw(
        f"SELECT {forms.float_(percent)} AS raw, {forms.float_(rounded(percent, 2))} AS p "
        "FROM unnest($1::numeric[], $2::numeric[]) WITH ORDINALITY AS v(s, b, n) ORDER BY v.n",
        [s for s, _ in pairs],
        [b for _, b in pairs],
    )
    for (spent, budget), row in zip(pairs, rows, strict=True):
        exact = float(spent / budget * 100)
        assert (row["raw"], row["p"]) == (json.dumps(exact), json.dumps(round(exact, 2))), (
            spent,
            budget,
        )
