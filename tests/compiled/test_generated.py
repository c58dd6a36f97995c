"""Generated queries (hypothesis-graphql) over the compiled part of the schema, on both paths.

The strategy sees the schema cut down to the fields with compiled declarations, so what it
writes mostly compiles; arguments are anything valid GraphQL allows (page sizes out of range,
cursors that aren't, NUL characters), which the compiled path must refuse as the resolvers do.
`COMPILED_FUZZ_EXAMPLES` (`make fuzz-compiled`) asks for more, with a random seed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone, tzinfo

import httpx
import pytest
from graphql import (
    DefinitionNode,
    DocumentNode,
    ObjectTypeDefinitionNode,
    build_ast_schema,
    parse,
    print_schema,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from api.compiled.objects import DECLARATIONS
from api.schema import schema
from tests.api.conftest import Api
from tests.compiled.conftest import VIEWERS, Paths
from tests.compiled.test_differential import first_difference, plan_failures

EXAMPLES = int(os.environ.get("COMPILED_FUZZ_EXAMPLES", "500"))
SEED = None if "COMPILED_FUZZ_EXAMPLES" in os.environ else 20261206
ROOTS = [
    *("me", "user", "dream", "dreams", "project", "projects"),
    *("tokenUsage", "myBudget", "budgetAlerts", "modelComparison", "categoryPerformance"),
]
# Times around now with and without offsets (`tokenUsage` ranges), extremes, and no time at all.
OFFSETS: list[tzinfo] = [UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=9.5))]
EARLIEST, LATEST = datetime(2025, 10, 1), datetime(2027, 3, 1)
DATETIMES = st.one_of(
    st.datetimes(EARLIEST, LATEST, timezones=st.sampled_from(OFFSETS)).map(datetime.isoformat),
    st.datetimes(EARLIEST, LATEST).map(datetime.isoformat),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "yesterday"]),
).map(nodes.String)
CONNECTION_FIELDS = {"edges", "nodes", "pageInfo", "node", "cursor", "hasNextPage", "endCursor"}


def compiled_schema() -> str:
    """The schema's SDL with only the fields the planner has declarations for."""
    document = parse(print_schema(schema._schema))  # pyright: ignore[reportPrivateUsage]
    kept: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode):
            name = definition.name.value
            declared = DECLARATIONS.get(name)
            if declared is not None or name.endswith(("Connection", "Edge")) or name == "PageInfo":
                allowed = set(declared or ()) | CONNECTION_FIELDS
                fields = tuple(f for f in definition.fields or () if f.name.value in allowed)
                definition = ObjectTypeDefinitionNode(
                    name=definition.name,
                    description=definition.description,
                    interfaces=definition.interfaces,
                    directives=definition.directives,
                    fields=fields,
                )
        kept.append(definition)
    trimmed = DocumentNode(definitions=tuple(kept))
    return print_schema(build_ast_schema(trimmed))


def operations() -> st.SearchStrategy[object]:
    """Half the operations read any of the compiled root fields, half one root field each (an
    operation with one refused argument runs on the resolvers whole)."""
    sdl = compiled_schema()

    def reading(fields: list[str]) -> st.SearchStrategy[object]:
        return queries(sdl, fields=fields, custom_scalars={"DateTime": DATETIMES})

    return st.one_of(reading(ROOTS), st.one_of(*(reading([field]) for field in ROOTS)))


def generated_queries(count: int) -> list[str]:
    found: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(operations())
    def collect(query: object) -> None:
        found.append(str(query))

    if SEED is not None:
        collect = fixed_seed(SEED)(collect)
    collect()
    return found


async def _answer(api: Api, query: str, user: str | None) -> httpx.Response | str:
    """The response, or the name of the exception that escaped the endpoint.

    An exception escaping either app is a bug (a `CancelledError` from shared DataLoader loads
    once did: `loaders/base.py`); both raising alike is still reported as equal here, and
    one path raising alone is a difference."""
    try:
        return await api.query(query, user=user)
    except BaseException as error:
        return type(error).__name__


async def test_generated_queries_answer_the_same_bytes_on_both_paths(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    differences: list[str] = []
    crashes: list[str] = []
    compiled = 0
    ops = generated_queries(EXAMPLES)
    for i, query in enumerate(ops):
        user = VIEWERS[i % len(VIEWERS)]
        on_compiled = await _answer(paths.compiled, query, user)
        on_resolved = await _answer(paths.resolved, query, user)
        if isinstance(on_compiled, str) or isinstance(on_resolved, str):
            crashes.append(query)
            found = None if on_compiled == on_resolved else f"{on_compiled} / {on_resolved}"
        else:
            found = first_difference(on_compiled, on_resolved)
            compiled += on_compiled.headers.get("x-execution") == "compiled"
        found = found or plan_failures(caplog)
        if found:
            differences.append(f"{query!r} as {user}: {found}")
    assert not differences, "\n\n".join(differences[:10])
    assert len(ops) >= min(EXAMPLES, 500)
    print(f"{len(ops)} generated queries, {compiled} answered compiled, {len(crashes)} crashed")
    # Random page sizes and cursors are mostly refused (by the resolvers, as they must be).
    assert compiled >= len(ops) // 10
