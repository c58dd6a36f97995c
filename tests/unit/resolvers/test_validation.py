"""Input checks name the field and the accepted values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from resolvers.errors import ValidationError
from resolvers.validation import checked_decimal, checked_int, checked_tags, checked_text


def test_text_is_trimmed_and_bounded() -> None:
    assert checked_text("title", "  Fly  ", max_length=3) == "Fly"
    assert checked_text("description", "  ", max_length=3, required=False) == ""
    with pytest.raises(ValidationError, match="at most 3 characters") as caught:
        checked_text("title", "Flying", max_length=3)
    assert caught.value.extensions == {"code": "VALIDATION_ERROR", "field": "title"}
    with pytest.raises(ValidationError, match="can't be empty"):
        checked_text("title", " ", max_length=3)


def test_numbers_stay_in_their_range() -> None:
    assert checked_decimal("score", 99.5, low=Decimal(0), high=Decimal(100)) == Decimal("99.5")
    assert checked_int("tokens", 0, low=0) == 0
    for bad in (-0.01, 100.01, float("nan")):
        with pytest.raises(ValidationError, match="between 0 and 100"):
            checked_decimal("score", bad, low=Decimal(0), high=Decimal(100))
    with pytest.raises(ValidationError, match="at least 0"):
        checked_int("tokens", -1, low=0)


def test_tags_are_normalised_and_limited() -> None:
    assert checked_tags("tags", ["AI", " ai", "Brain"]) == ["ai", "brain"]
    with pytest.raises(ValidationError, match="at most 20 tags"):
        checked_tags("tags", [str(i) for i in range(21)])
