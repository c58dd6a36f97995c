"""The query operations the differential suite replays: every query written as a constant in
`tests/api` and every query of the README's GraphiQL examples (`examples.json`).

Variables are filled in from their types: each `ID!` once per seeded dream id (so public,
private and other users' objects are all asked for), other required scalars with a plain value.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLScalarType,
    GraphQLSchema,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    parse,
)

ROOT = Path(__file__).parents[2]


@dataclass(frozen=True, slots=True)
class Operation:
    source: str
    query: str
    name: str | None
    node: OperationDefinitionNode


def operations() -> list[Operation]:
    found: dict[tuple[str, str | None], Operation] = {}
    for source, text in _texts():
        try:
            document = parse(text)
        except GraphQLError:
            continue
        for op in _queries(document):
            name = op.name.value if op.name else None
            found.setdefault((text, name), Operation(source, text, name, op))
    return list(found.values())


def _texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "tests" / "api").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" in node.value:
                yield path.name, node.value
    examples = ROOT / "api" / "static" / "graphiql" / "examples.json"
    for example in json.loads(examples.read_text()):
        yield "examples.json", str(example["query"])


def _queries(document: DocumentNode) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if (
            isinstance(definition, OperationDefinitionNode)
            and definition.operation is OperationType.QUERY
        ):
            yield definition


def variable_sets(
    schema: GraphQLSchema, operation: Operation, ids: list[str]
) -> list[dict[str, object]] | None:
    """Variables to run `operation` with (one set per id when it takes an `ID!`), or None when
    a required variable can't be made up."""
    sets: list[dict[str, object]] = [{}]
    for definition in operation.node.variable_definitions or ():
        type_node = definition.type
        if not isinstance(type_node, NonNullTypeNode) or definition.default_value is not None:
            continue
        name = definition.variable.name.value
        inner = type_node.type
        if isinstance(inner, NamedTypeNode) and inner.name.value == "ID":
            sets = [{**s, name: i} for s in sets for i in ids]
            continue
        if isinstance(inner, ListTypeNode):
            value: object = []
        else:
            value = sample(schema, schema.get_type(inner.name.value))
        if value is None:
            return None
        sets = [{**s, name: value} for s in sets]
    return sets


def sample(schema: GraphQLSchema, type_: GraphQLNamedType | None) -> object:
    """A plain value of a named input type (required input fields filled in), or None."""
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLScalarType):
        return {"Int": 2, "Float": 1.5, "String": "x", "Boolean": True, "ID": "x"}.get(type_.name)
    if not isinstance(type_, GraphQLInputObjectType):
        return None
    values: dict[str, object] = {}
    for name, field in type_.fields.items():
        shown = str(cast("object", field.type))  # pyright: ignore[reportUnknownMemberType]
        if not shown.endswith("!") or field.default_value is not Undefined:
            continue
        found: object = (
            list[object]() if shown.startswith("[") else sample(schema, schema.get_type(shown[:-1]))
        )
        if found is None:
            return None
        values[name] = found
    return values
