"""The GraphQL schema: every domain's Query and Mutation joined into one.

`api/app.py` serves `schema`; tests execute operations against it directly with a context whose
`.scope` is a `resolvers.scope.RequestScope`.
"""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter

from api.types.dreams import DreamMutation, DreamQuery, DreamSubscription
from api.types.models import ModelQuery
from api.types.projects import ProjectMutation, ProjectQuery
from api.types.scalars import SCALARS
from api.types.usage import UsageMutation, UsageQuery
from api.types.users import UserQuery

__all__ = ["SCALARS", "MemoNameConverter", "Mutation", "Query", "Subscription", "schema"]


@strawberry.type
class Query(UserQuery, DreamQuery, ModelQuery, ProjectQuery, UsageQuery):
    pass


@strawberry.type
class Mutation(DreamMutation, ProjectMutation, UsageMutation):
    pass


@strawberry.type
class Subscription(DreamSubscription):
    pass


class MemoNameConverter(NameConverter):
    """Strawberry names each argument again on every resolver call (`to_camel_case` on
    `first`, `after`, every input field...); the names are few, so each is converted once."""

    def __init__(self, auto_camel_case: bool = True) -> None:
        super().__init__(auto_camel_case)
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        converted = self._names.get(name)
        if converted is None:
            converted = self._names[name] = super().apply_naming_config(name)
        return converted


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(name_converter=MemoNameConverter(), scalar_map=SCALARS),
)
