"""Per request: does the compiled path answer, and with which bound values.

`CompiledExecution.prepare(document, admission, viewer)` returns a `Compiled` (the plan and the
request's parameters) or None: the operation doesn't compile, the app runs another schema, the
setting says `resolved`, or this request's arguments would make the resolvers answer with an
error (which they then do, so both paths refuse alike). `/metrics` counts both paths in
`graphql_executions_total{path}`.
"""

from __future__ import annotations

from graphql import GraphQLSchema
from graphql.execution.values import VariableValues

from api.compiled.plan import Resolved
from api.compiled.planner import Planner
from api.compiled.run import Compiled
from api.documents import Admission, PreparedDocument
from api.metrics import ApiMetrics, Counter
from resolvers.scope import Viewer

__all__ = ["COMPILED", "RESOLVED", "CompiledExecution"]

COMPILED, RESOLVED = "compiled", "resolved"


class CompiledExecution:
    def __init__(
        self, schema: GraphQLSchema | None, metrics: ApiMetrics, *, log_plans: bool = False
    ) -> None:
        """`schema` None: the compiled path is off (another schema, or `EXECUTION=resolved`)."""
        self.planner = None if schema is None else Planner(schema, debug=log_plans)
        self.executions = Counter(
            "graphql_executions_total",
            "GraphQL operations executed (or served from the operation cache) by path: "
            "compiled (one SQL statement) or resolved (the resolvers)",
        )
        metrics.add(self.executions)

    def prepare(
        self, document: PreparedDocument, admission: Admission, viewer: Viewer
    ) -> Compiled | None:
        if self.planner is None:
            return None
        variables = dict(admission.variables)
        plan = self.planner.plan(document, admission.operation, variables, viewer)
        if plan is None:
            return None
        inputs = plan.inputs(VariableValues({}, variables), viewer)
        try:
            return Compiled(plan, inputs, plan.bind(inputs))
        except Resolved:
            return None

    def count(self, path: str) -> None:
        self.executions.inc(path=path)
