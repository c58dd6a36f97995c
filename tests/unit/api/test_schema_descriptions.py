"""Every type, field, argument, input field and enum value of the served schema is described,
so GraphiQL's documentation explorer answers every question a newcomer has."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
)

from api.schema import schema


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _members(named: GraphQLNamedType) -> Iterator[str]:
    """Each field, argument, input field or value of `named` without a description."""
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        for field_name, field in named.fields.items():
            if _blank(field.description):
                yield f"{named.name}.{field_name}"
            yield from (
                f"{named.name}.{field_name}({arg_name})"
                for arg_name, arg in field.args.items()
                if _blank(arg.description)
            )
    elif isinstance(named, GraphQLInputObjectType):
        yield from (f"{named.name}.{n}" for n, f in named.fields.items() if _blank(f.description))
    elif isinstance(named, GraphQLEnumType):
        yield from (f"{named.name}.{n}" for n, v in named.values.items() if _blank(v.description))


def undescribed(graphql_schema: GraphQLSchema) -> list[str]:
    """Names of the schema's own types, fields, arguments and values without a description
    (the root operation types are described by their fields)."""
    roots = {t.name for t in (graphql_schema.query_type, graphql_schema.mutation_type) if t}
    if graphql_schema.subscription_type is not None:
        roots.add(graphql_schema.subscription_type.name)
    missing: list[str] = []
    for name, named in sorted(graphql_schema.type_map.items()):
        if name.startswith("__"):
            continue
        if name not in roots and _blank(named.description):
            missing.append(name)
        missing.extend(_members(named))
    return missing


def test_every_type_field_argument_and_value_is_described() -> None:
    assert undescribed(schema._schema) == []  # pyright: ignore[reportPrivateUsage]


def test_the_walk_finds_what_is_missing() -> None:
    from graphql import build_schema

    sdl = '''
    """Root"""
    type Query { "documented" a(x: Int): B }
    type B { c: E }
    enum E { "yes" ONE TWO }
    '''
    assert undescribed(build_schema(sdl)) == ["B", "B.c", "E", "E.TWO", "Query.a(x)"]
