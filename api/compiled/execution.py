"""Per request: does the compiled path answer, and with which bound values.

`CompiledExecution.prepare(document, admission, viewer)` returns a `Compiled` (the plan and the
request's parameters) or None: the operation doesn't compile, the app runs another schema, the
setting says `resolved`, or this request's arguments would make the resolvers answer with an
error (which they then do, so both paths refuse alike). `/metrics` counts both paths in
`graphql_executions_total{path}`.

`run` executes the statement where the resolvers would read: on a replica when every root field
is one `resolvers/routing.py` routes there (with the same read-your-writes floor; the ORM still
picks the primary while no replica qualifies), else on the primary; `/metrics` counts them in
`graphql_compiled_reads_total{route}`, and `api_db_reads_total{node}` shows the node that served.
"""

from __future__ import annotations

from graphql import GraphQLSchema
from graphql.execution.values import VariableValues

from api.cache import Entry
from api.compiled.plan import Resolved
from api.compiled.planner import Planner
from api.compiled.run import Compiled, run_plan
from api.documents import Admission, PreparedDocument
from api.metrics import ApiMetrics, Counter
from prisma import Prisma
from resolvers.routing import read_on_replica
from resolvers.scope import Viewer, WriteFloor

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
        self.routes = Counter(
            "graphql_compiled_reads_total",
            "Compiled statements by route: replica (every root field replica-eligible; "
            "api_db_reads_total says which node served) or primary",
        )
        metrics.add(self.executions)
        metrics.add(self.routes)

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

    async def run(
        self, db: Prisma, compiled: Compiled, write_floor: WriteFloor, *, default_ttl: int
    ) -> Entry:
        plan = compiled.plan
        route = plan.replica
        self.routes.inc(route="primary" if route is None else "replica")
        if route is None:
            return await run_plan(db, compiled, default_ttl=default_ttl)
        return await read_on_replica(
            write_floor,
            lambda: run_plan(db, compiled, default_ttl=default_ttl),
            # One cache entry for every viewer: wait for anyone's last write.
            shared=route.shared or plan.shared,
        )
