"""Input checks that raise `ValidationError` naming the GraphQL field and the accepted values."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from loaders.batch import storable
from resolvers.errors import ValidationError

__all__ = [
    "checked_decimal",
    "checked_id",
    "checked_int",
    "checked_storable",
    "checked_tags",
    "checked_text",
]


def checked_text(field: str, value: str, *, max_length: int, required: bool = True) -> str:
    """`value` without surrounding whitespace; empty only when not `required`."""
    text = checked_storable(field, value).strip()
    if required and not text:
        raise ValidationError(field, "This field can't be empty.")
    if len(text) > max_length:
        raise ValidationError(field, f"Use at most {max_length} characters (this has {len(text)}).")
    return text


def checked_storable(field: str, value: str) -> str:
    """`value`, if PostgreSQL can store it (no NUL character, no unpaired surrogate)."""
    if not storable(value):
        raise ValidationError(
            field, "This text contains a NUL character or an unpaired surrogate: remove it."
        )
    return value


def checked_id(field: str, value: str) -> str:
    """An id given as a filter: one that can't be stored can't match, and says so."""
    if not storable(value) or len(value) > 100:
        raise ValidationError(field, "This is not an id: pass one from a previous response.")
    return value


def checked_decimal(
    field: str, value: float | Decimal, *, low: Decimal, high: Decimal | None = None
) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(field, "This is not a number.") from None
    if not number.is_finite() or number < low or (high is not None and number > high):
        limits = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationError(field, f"Use a number {limits} (got {value}).")
    return number


def checked_int(field: str, value: int, *, low: int, high: int | None = None) -> int:
    if value < low or (high is not None and value > high):
        limits = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationError(field, f"Use a whole number {limits} (got {value}).")
    return value


def checked_tags(
    field: str, tags: list[str], *, max_count: int = 20, max_length: int = 50
) -> list[str]:
    """Tags trimmed, lower-cased and de-duplicated in their original order."""
    if len(tags) > max_count:
        raise ValidationError(field, f"Use at most {max_count} tags (got {len(tags)}).")
    seen: dict[str, None] = {}
    for tag in tags:
        seen[checked_text(field, tag, max_length=max_length).lower()] = None
    return list(seen)
