"""Plans: a query operation compiled into one SQL statement, and the pieces that build it.

A `Plan` is data: the statement's text (values only ever as `$n` parameters), and per request
the recipe for its parameters, its refusals and its cache tags, all read from the field
arguments (coerced by graphql-core from the request's variables) and the viewer.

`Builder` is the planner's scratchpad while it walks a selection set: fields with arguments
are registered once (`Builder.field`) and re-read per request; `Builder.param` adds a
parameter whose value comes from those arguments or the viewer; `Builder.source` a FROM item
of the statement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from graphql import FieldNode, GraphQLField, GraphQLObjectType, GraphQLSchema, Node
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_subfields
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import OperationDefinitionNode

from api.compiled.forms import json_key
from resolvers.routing import ReplicaRoute
from resolvers.scope import Viewer

__all__ = [
    "Args",
    "Builder",
    "Fragment",
    "NotCompilable",
    "Plan",
    "RequestInputs",
    "Resolved",
    "Selected",
    "detached",
    "json_object",
]

Args = Mapping[str, Any]
Getter = Callable[["RequestInputs"], object]


class NotCompilable(Exception):
    """The operation needs the resolvers (a field without a declaration, ...)."""


class Resolved(Exception):
    """This request's arguments would make the resolvers answer with an error (a page size
    out of range, a cursor that isn't one, ...): let them, so the error is theirs, exactly."""


@dataclass(frozen=True, slots=True)
class RequestInputs:
    """What a plan reads per request: each registered field's arguments, and the viewer."""

    args: Sequence[Args]
    viewer: Viewer


@dataclass(frozen=True, slots=True)
class Fragment:
    """A value as JSON text (`json`, never NULL) and SQL expressions in the same row context
    that each give a comma-separated list of JSON strings: the cache tags it read, or NULL."""

    json: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    sql: str
    params: tuple[Getter, ...]
    checks: tuple[Callable[[RequestInputs], object], ...]
    tags: tuple[Callable[[RequestInputs], Sequence[str]], ...]
    ttls: tuple[Callable[[RequestInputs], int | None], ...]
    fields: tuple[tuple[GraphQLField, FieldNode], ...]
    roots: tuple[str, ...] = ()  # the operation's root field names (not aliases)
    shared: bool = False  # the same answer for every viewer: cacheable once for all
    replica: ReplicaRoute | None = None
    """Where it may read: a replica when every root field is one the resolvers route there
    (`resolvers/routing.py`), else None: the primary."""

    def inputs(self, variables: VariableValues, viewer: Viewer) -> RequestInputs:
        return RequestInputs(
            [get_argument_values(d, node, variables) for d, node in self.fields], viewer
        )

    def ttl(self, inputs: RequestInputs) -> int | None:
        """The shortest TTL the resolvers would record (None: they record none)."""
        found = [ttl for ttl in (get(inputs) for get in self.ttls) if ttl is not None]
        return min(found) if found else None

    def cache_tags(self, inputs: RequestInputs) -> list[str]:
        return [tag for get in self.tags for tag in get(inputs)]

    def bind(self, inputs: RequestInputs) -> list[object]:
        """Raises `Resolved` when a check refuses the request."""
        for check in self.checks:
            check(inputs)
        return [param(inputs) for param in self.params]


@dataclass(frozen=True, slots=True)
class Selected:
    """One response key of a selection set: its field, nodes and registered arguments."""

    key: str
    definition: GraphQLField
    details: list[FieldDetails]
    arg_index: int | None

    @property
    def name(self) -> str:
        return self.details[0].node.name.value

    def arg(self, name: str) -> Getter:
        index = self.arg_index
        if index is None:
            raise NotCompilable(f"{self.name} takes no arguments")
        return lambda inputs: inputs.args[index].get(name)


@dataclass(slots=True)
class Builder:
    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    viewer: Viewer
    params: list[Getter] = field(default_factory=list[Getter])
    checks: list[Callable[[RequestInputs], object]] = field(
        default_factory=list[Callable[[RequestInputs], object]]
    )
    tags: list[Callable[[RequestInputs], Sequence[str]]] = field(
        default_factory=list[Callable[[RequestInputs], Sequence[str]]]
    )
    ttls: list[Callable[[RequestInputs], int | None]] = field(
        default_factory=list[Callable[[RequestInputs], int | None]]
    )
    fields: list[tuple[GraphQLField, FieldNode]] = field(
        default_factory=list[tuple[GraphQLField, FieldNode]]
    )
    plan_args: list[Args] = field(default_factory=list[Args])
    sources: list[str] = field(default_factory=list[str])
    _aliases: int = 0

    def alias(self, prefix: str) -> str:
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    def source(self, from_item: str) -> None:
        """A FROM item of the operation's statement (`(SELECT ...) alias`, exactly one row):
        what a root field reads once and refers to twice (its JSON and its tags)."""
        self.sources.append(from_item)

    def param(self, getter: Getter, cast: str) -> str:
        self.params.append(getter)
        return f"${len(self.params)}::{cast}"

    def selections(self, details: list[FieldDetails], child: GraphQLObjectType) -> list[Selected]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, child, details
        )
        return [
            self.select(child, key, found) for key, found in collected.grouped_field_set.items()
        ]

    def select(self, parent: GraphQLObjectType, key: str, details: list[FieldDetails]) -> Selected:
        node = details[0].node
        name = node.name.value
        if name == "__typename":
            return Selected(key, _TYPENAME, details, None)
        definition = parent.fields.get(name)
        if definition is None:
            raise NotCompilable(f"{parent.name}.{name} is not in the schema")
        index = None
        if definition.args:
            index = len(self.fields)
            self.fields.append((definition, node))
            self.plan_args.append(get_argument_values(definition, node, self.variables))
        return Selected(key, definition, details, index)

    def planned(self, selected: Selected) -> Args:
        """The arguments as the request being planned has them: what shapes the statement
        (which filters exist, which order) must not change between requests sharing a plan."""
        return {} if selected.arg_index is None else self.plan_args[selected.arg_index]


def detached(node: FieldNode) -> FieldNode:
    """`node`'s name and arguments (all a plan reads per request), without source locations:
    a location's tokens link to every token of the document, so a cached plan holding the
    parsed node would keep the whole document (~1 MB for a large one) alive."""
    return FieldNode(name=_located(node.name), arguments=_located(node.arguments))


def _located(value: Any) -> Any:
    """A copy of an AST value without `loc`, recursively."""
    if isinstance(value, Node):
        return type(value)(**{k: _located(getattr(value, k)) for k in value.keys if k != "loc"})
    if isinstance(value, tuple | list):
        return tuple(_located(v) for v in cast("Sequence[object]", value))
    return value


_TYPENAME = GraphQLField(GraphQLObjectType("__TypeName", {}))  # placeholder definition


def json_object(pairs: Sequence[tuple[str, str]]) -> str:
    """`{"k":v,...}` as an SQL text expression; every value is non-NULL JSON text."""
    if not pairs:
        return "'{}'"
    parts = [
        f"{json_key(key) if i == 0 else _comma(key)} || {value}"
        for i, (key, value) in enumerate(pairs)
    ]
    return "('{' || " + " || ".join(parts) + " || '}')"


def _comma(key: str) -> str:
    return "','" + " || " + json_key(key)
