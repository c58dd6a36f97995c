"""The GraphQL schema: every domain's Query and Mutation joined into one.

`api/app.py` serves `schema`; tests execute operations against it directly with a context whose
`.scope` is a `resolvers.scope.RequestScope`.
"""

from __future__ import annotations

import strawberry

from api.types.dreams import DreamMutation, DreamQuery
from api.types.models import ModelQuery
from api.types.projects import ProjectMutation, ProjectQuery
from api.types.usage import UsageMutation, UsageQuery
from api.types.users import UserQuery

__all__ = ["Mutation", "Query", "schema"]


@strawberry.type
class Query(UserQuery, DreamQuery, ModelQuery, ProjectQuery, UsageQuery):
    pass


@strawberry.type
class Mutation(DreamMutation, ProjectMutation, UsageMutation):
    pass


schema = strawberry.Schema(query=Query, mutation=Mutation)
