"""Custom scalars, registered in `api/schema.py` through `StrawberryConfig.scalar_map`.

Money is a decimal string, scores are Floats. Amounts of money are summed, compared against
budgets and shown to the cent (or the millionth of a dollar for per-test costs), so they travel
as exact decimal strings: a JSON number would come back as a binary float (0.1 + 0.2). Scores,
confidences and percentages are measurements with two decimals that clients plot and average:
Floats are exact enough for them and easier to use.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

__all__ = ["CENTS", "MICROS", "SCALARS", "Money", "money"]

Money = NewType("Money", Decimal)

CENTS = 2
"""Places of budgets (`@db.Decimal(10, 2)`)."""
MICROS = 6
"""Places of costs and prices (`@db.Decimal(10, 6)`), and of sums that include them."""


def money(value: Decimal, places: int) -> Money:
    """`value` at its column's scale: the ORM returns decimals normalised as Prisma does
    (`Decimal("0.1")`), while clients are promised a fixed number of places ("0.100000")."""
    return Money(value.quantize(Decimal(1).scaleb(-places)))


def _serialize(value: object) -> str:
    if not isinstance(value, Decimal):
        raise TypeError(f"Money must be a Decimal, not {type(value).__name__}")
    return str(value)


def _parse(value: object) -> Money:
    """A string ("12.50") or a number (12.5) in input; a number is read through its decimal
    text, so 0.1 means exactly 0.1. Raises `GraphQLError`, which GraphQL reports as it is (a
    plain exception would be masked as unexpected)."""
    amount = None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        raise GraphQLError(
            f'Money: {value!r} is not an amount; send a decimal string such as "12.50".'
        )
    return Money(amount)


MONEY = strawberry.scalar(
    name="Money",
    description='An exact amount of US dollars as a decimal string, such as "12.50" or '
    '"0.004200" (never a binary float, so sums stay exact; parse it with a decimal type). '
    "Inputs also accept a JSON number, read through its decimal text.",
    serialize=_serialize,
    parse_value=_parse,
)
assert isinstance(MONEY, ScalarDefinition)

SCALARS: dict[object, ScalarDefinition] = {Money: MONEY}
