"""The planner: which operations compile, and their plans, cached.

`Planner.plan(document, operation, variables, viewer)` returns the operation's `Plan`, or None
when it must run on the resolvers (mutations, subscriptions, introspection, any field without a
compiled declaration). Plans are cached by the normalized document (printed without comments
or extra whitespace, so variants of one text share a plan), operation name, the variables'
shape (which are null, booleans' and enums' values, input objects' keys: what changes the
statement) and whether the viewer is signed in; a `None` is cached too, so a document that
doesn't compile costs a dictionary lookup after its first request. The cache is bounded by
count and by the characters of its statements, and a plan keeps no reference to its document
(`plan.detached`), so hostile variants can't grow a worker's memory past those bounds. A plan
names its root fields (`roots`), and is `shared` when they all answer the same for every viewer
(`objects.declare_shared`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import Enum
from typing import cast

from graphql import FragmentDefinitionNode, GraphQLSchema, OperationType
from graphql.execution.collect_fields import FragmentDetails, collect_fields
from graphql.execution.values import VariableValues

from api.compiled import charts, dashboard, dreams, models, projects, usage, users
from api.compiled.objects import SHARED_ROOTS, compile_fields
from api.compiled.plan import Builder, NotCompilable, Plan, detached
from api.documents import PreparedDocument, PreparedOperation
from api.memory import SizedLru
from resolvers.routing import replica_route
from resolvers.scope import Viewer

__all__ = ["Planner", "variables_shape"]

log = logging.getLogger("api.compiled")

PlanKey = tuple[str, str | None, object, bool]
MAX_PLAN_CHARS = 16_000_000  # SQL text the plan cache may hold (a 2,000-token read: ~110 KB)
DOMAINS = (
    charts,
    dashboard,
    dreams,
    models,
    projects,
    usage,
    users,
)  # imported for their declarations


def variables_shape(value: object) -> object:
    """What of a variable's value can change a plan's statement (not the values it binds)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return ("enum", value.name)
    if isinstance(value, Mapping):
        items = cast("Mapping[str, object]", value)
        return tuple(sorted((str(k), variables_shape(v)) for k, v in items.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(variables_shape(v) for v in cast("list[object]", value)))
    if hasattr(value, "__dict__"):
        return (type(value).__name__, variables_shape(vars(value)))
    return type(value).__name__


class Planner:
    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        debug: bool = False,
        max_plans: int = 2_048,
        max_chars: int = MAX_PLAN_CHARS,
    ) -> None:
        self.schema = schema
        self.debug = debug
        self._plans = SizedLru[PlanKey, Plan | None](max_plans, max_chars, _chars)

    def plan(
        self,
        document: PreparedDocument,
        operation: PreparedOperation,
        variables: Mapping[str, object],
        viewer: Viewer,
    ) -> Plan | None:
        if operation.kind is not OperationType.QUERY or document.ast is None:
            return None
        normalized = document.cache_document
        key: PlanKey = (
            document.sha256 if normalized is None else normalized.normalized,
            operation.name,
            variables_shape(dict(variables)),
            viewer.is_authenticated,
        )
        if key in self._plans:  # a cached None: the resolvers answer
            return self._plans.get(key)
        found = self._compile(document, operation, variables, viewer)
        self._plans.put(key, found)
        return found

    @property
    def cached(self) -> tuple[int, int]:
        """How many plans (and `None`s) are cached, and their statements' characters."""
        return len(self._plans), self._plans.size

    def _compile(
        self,
        document: PreparedDocument,
        operation: PreparedOperation,
        variables: Mapping[str, object],
        viewer: Viewer,
    ) -> Plan | None:
        assert document.ast is not None
        fragments = {
            d.name.value: FragmentDetails(d)
            for d in document.ast.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        query = self.schema.query_type
        assert query is not None
        builder = Builder(
            self.schema, operation.node, fragments, VariableValues({}, dict(variables)), viewer
        )
        try:
            collected = collect_fields(
                self.schema, fragments, builder.variables, query, operation.node
            )
            selections = [
                builder.select(query, key, found)
                for key, found in collected.grouped_field_set.items()
            ]
            data = compile_fields(builder, query, None, selections)
        except NotCompilable as reason:
            log.debug("%s runs on the resolvers: %s", operation.name or "anonymous", reason)
            return None
        tags = f"concat_ws(',', {', '.join(data.tags)})" if data.tags else "NULL::text"
        sql = f"SELECT '{{\"data\":' || {data.json} || '}}' AS data, {tags} AS tags"
        if builder.sources:
            sql += f" FROM {', '.join(builder.sources)}"
        plan = Plan(
            sql=sql,
            params=tuple(builder.params),
            checks=tuple(builder.checks),
            tags=tuple(builder.tags),
            ttls=tuple(builder.ttls),
            fields=tuple((definition, detached(node)) for definition, node in builder.fields),
            roots=tuple(selected.name for selected in selections),
            shared=all(selected.name in SHARED_ROOTS for selected in selections),
            # The arguments that decide it (`projects`' filter) are part of the plan's key.
            replica=replica_route((s.name, builder.planned(s)) for s in selections),
        )
        if self.debug:
            log.info("plan for %s:\n%s", operation.name or "anonymous", sql)
        return plan


def _chars(plan: Plan | None) -> int:
    return 0 if plan is None else len(plan.sql)
