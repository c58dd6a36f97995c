"""Every query operation of `tests/api` and the README examples, run on both paths: the same
status and the same bytes, for an anonymous viewer, the owner, another user and an admin."""

from __future__ import annotations

import logging

import httpx
import pytest
from graphql import validate

from api.schema import schema
from tests.compiled.conftest import VIEWERS, Paths
from tests.compiled.corpus import Operation, operations, variable_sets


def first_difference(compiled: httpx.Response, resolved: httpx.Response) -> str | None:
    a, b = compiled.content, resolved.content
    if compiled.status_code != resolved.status_code:
        return f"status {compiled.status_code} != {resolved.status_code}"
    if a == b:
        return None
    at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return f"at byte {at}: compiled {a[at - 80 : at + 80]!r}\n resolved {b[at - 80 : at + 80]!r}"


def plan_failures(caplog: pytest.LogCaptureFixture) -> str | None:
    """The compiled statements that failed since the last call (the endpoint then answers
    from the resolvers, so the bytes match, but the plan is a bug all the same)."""
    failed = [r for r in caplog.records if r.levelno >= logging.ERROR and "compiled" in r.msg]
    caplog.clear()
    return f"compiled plan failed: {failed[0].exc_info!r}" if failed else None


def _domain(operation: Operation) -> bool:
    document = operation.node
    from graphql import DocumentNode

    return not validate(schema._schema, DocumentNode(definitions=(document,)))  # pyright: ignore[reportPrivateUsage]


async def test_corpus_answers_the_same_bytes_on_both_paths(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    world = paths.world
    ids = [world.public[1], world.private, world.alice_projects[1]]
    differences: list[str] = []
    compiled_ops: list[str] = []
    domain_ops: list[str] = []
    for operation in operations():
        sets = variable_sets(schema._schema, operation, ids)  # pyright: ignore[reportPrivateUsage]
        if sets is None:
            continue
        label = f"{operation.source}: {operation.name or operation.query[:60]!r}"
        if _domain(operation):
            domain_ops.append(label)
        for variables in sets:
            for user in VIEWERS:
                compiled, resolved = await paths.both(
                    operation.query, variables, user=user, operationName=operation.name
                )
                found = first_difference(compiled, resolved) or plan_failures(caplog)
                if found:
                    differences.append(f"{label} as {user} with {variables}: {found}")
                if compiled.headers.get("x-execution") == "compiled":
                    compiled_ops.append(label)
    assert not differences, "\n".join(differences)
    share = len(set(compiled_ops)) / max(1, len(domain_ops))
    print(f"compiled: {len(set(compiled_ops))} of {len(domain_ops)} domain queries ({share:.0%})")
    assert compiled_ops  # the compiled path really answered some
