"""Which operations may read from a replica: every root field one the resolvers route there."""

from __future__ import annotations

import pytest

from api.schema import schema
from resolvers.routing import REPLICA_READS, ReplicaRoute, replica_route

Fields = list[tuple[str, dict[str, object]]]
NONE: dict[str, object] = {}
CASES: list[tuple[Fields, ReplicaRoute | None]] = [
    ([("aiModels", NONE)], ReplicaRoute(shared=True)),
    ([("myBudget", NONE), ("tokenUsage", {"groupBy": "MODEL"})], ReplicaRoute(shared=False)),
    ([("myBudget", NONE), ("modelComparison", {"days": 7})], ReplicaRoute(shared=True)),
    ([("__typename", NONE), ("categoryPerformance", NONE)], ReplicaRoute(shared=True)),
    ([("projects", {"sort": "TRENDING"})], ReplicaRoute(shared=True)),
    ([("projects", {"filter": {"search": "x", "mine": False}})], ReplicaRoute(shared=True)),
    # A viewer's own data, or any field that isn't analytics or public: the primary.
    ([("projects", {"filter": {"mine": True}})], None),
    ([("projects", {"filter": {"ownerId": "u1"}})], None),
    ([("aiModels", NONE), ("me", NONE)], None),
    ([("dreams", NONE)], None),
    ([("__typename", NONE)], None),
    ([], None),
]


def test_every_replica_read_is_a_query_field() -> None:
    query = schema._schema.query_type  # pyright: ignore[reportPrivateUsage]
    assert query is not None
    assert set(REPLICA_READS) <= set(query.fields)


@pytest.mark.parametrize(("fields", "route"), CASES)
def test_replica_route_needs_every_root_field_eligible(
    fields: Fields, route: ReplicaRoute | None
) -> None:
    assert replica_route(fields) == route
