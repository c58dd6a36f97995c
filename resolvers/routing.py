"""Which reads may run on a read replica: analytics and public discovery, through `on_replica`.

Every other read runs on the primary (the API sets that per request). `on_replica` lets a
read use a replica that has replayed the viewer's own last write (read-your-writes); `shared`
results (stored in a cache every viewer reads from) wait for everyone's last write instead, so
a lagging replica never puts a result older than a write into a shared cache entry.

`REPLICA_READS` names the root fields whose resolvers read that way, and whether their results
are shared; a resolver names its field (`on_replica(scope, "modelComparison", read)`), inside
the cache-aside producer, so a cache hit costs no freshness lookup:

    await cached(scope.cache, key, lambda: on_replica(scope, "aiModels", read), ...)

A path that answers a whole operation at once (the compiled path: one statement) routes it alike:
`replica_route` gives the route of an operation whose root fields all qualify, or None (the
primary) as soon as one doesn't.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from orm.runtime.routing import read_from_replica
from resolvers.scope import RequestScope, WriteFloor

__all__ = ["REPLICA_READS", "ReplicaRead", "on_replica", "read_on_replica", "replica_route"]

T = TypeVar("T")
Args = Mapping[str, Any]


def _always(_args: Args) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class ReplicaRead:
    """A root field whose resolver reads through `on_replica`, when `eligible`
    says its arguments make it one (a public list, not the viewer's own)."""

    shared: bool
    eligible: Callable[[Args], bool] = _always


def _field(value: object, graphql_name: str, python_name: str) -> object:
    """An input object's field, whether graphql-core left it a dict or Strawberry made it one
    of its input classes."""
    if isinstance(value, Mapping):
        return value.get(graphql_name)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return getattr(value, python_name, None)


def _public_projects(args: Args) -> bool:
    """`projects` without `mine` or `ownerId`: public discovery (`resolve_projects`)."""
    found = args.get("filter")
    if found is None:
        return True
    return not _field(found, "mine", "mine") and _field(found, "ownerId", "owner_id") is None


REPLICA_READS: Mapping[str, ReplicaRead] = {
    "aiModels": ReplicaRead(shared=True),
    "modelComparison": ReplicaRead(shared=True),
    "categoryPerformance": ReplicaRead(shared=True),
    "budgetAlerts": ReplicaRead(shared=True),
    "tokenUsage": ReplicaRead(shared=False),
    "myBudget": ReplicaRead(shared=False),
    "projects": ReplicaRead(shared=True, eligible=_public_projects),
}


@dataclass(frozen=True, slots=True)
class ReplicaRoute:
    """An operation that may read from a replica; `shared`: wait for everyone's last write."""

    shared: bool


def replica_route(fields: Iterable[tuple[str, Args]]) -> ReplicaRoute | None:
    """`fields`: the operation's root fields (name, arguments). None: the primary."""
    shared, any_field = False, False
    for name, args in fields:
        if name == "__typename":
            continue
        read = REPLICA_READS.get(name)
        if read is None or not read.eligible(args):
            return None
        shared, any_field = shared or read.shared, True
    return ReplicaRoute(shared) if any_field else None


async def on_replica(scope: RequestScope, root_field: str, read: Callable[[], Awaitable[T]]) -> T:
    """`read` for `root_field`'s resolver, routed as `REPLICA_READS` says of that field (the
    one place the compiled path reads it too)."""
    shared = REPLICA_READS[root_field].shared
    return await read_on_replica(scope.write_floor, read, shared=shared)


async def read_on_replica(
    write_floor: WriteFloor, read: Callable[[], Awaitable[T]], *, shared: bool
) -> T:
    """`on_replica` for a path without a request scope (the compiled path)."""
    floor = await write_floor(shared)
    with read_from_replica(min_lsn=floor):
        return await read()
