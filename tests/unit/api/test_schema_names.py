"""The memoizing name converter names everything as Strawberry's own does."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.schema import SCALARS, MemoNameConverter, Mutation, Query, Subscription, schema


def test_names_are_converted_once_and_the_same() -> None:
    names = MemoNameConverter()
    assert names.apply_naming_config("impossibility_score") == "impossibilityScore"
    assert names.apply_naming_config("impossibility_score") == "impossibilityScore"
    assert MemoNameConverter(auto_camel_case=False).apply_naming_config("a_b") == "a_b"


def test_the_schema_is_the_one_strawberry_names_by_default() -> None:
    default = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map=SCALARS),
    )
    assert schema.as_str() == default.as_str()
