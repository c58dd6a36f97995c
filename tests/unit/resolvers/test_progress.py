"""The improvement trend written into progress snapshots and charts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from resolvers.dreams.progress import improvement_trend


@pytest.mark.parametrize(
    ("previous", "current", "trend"),
    [
        (None, 50, "0.00"),
        (0, 50, "0.00"),
        (80, 70, "-12.50"),
        (Decimal("60.00"), Decimal("66.00"), "10.00"),
        (90, 60, "-33.33"),
        (0.01, 100, "999.99"),
    ],
)
def test_trend_is_the_percent_change_within_decimal_5_2(
    previous: float | Decimal | None, current: float | Decimal, trend: str
) -> None:
    assert improvement_trend(previous, current) == Decimal(trend)
