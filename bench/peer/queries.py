"""The bench's operations, each as the API asks it and as PostGraphile 5 (amber preset) asks it.

Both sides read the same rows in the same order. The API knows its viewer from the bearer token
(one extra statement) and applies its access rules; PostGraphile sees every row, so its queries
say the API's rule as a `condition` where there is one (`isPublic`, `visibility: PUBLIC`).
Computed fields the API has and PostGraphile lacks are asked the closest way PostGraphile can:
`testCount` is the COMPLETED tests' `totalCount`; `bestScore` and `latestProgress` come from
the newest progress snapshot; `Dashboard.totalTests` (COMPLETED tests of ACTIVE dreams) becomes
the user's COMPLETED tests. Those two operations are *equivalents*, not the same query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.api import DREAMS_WITH_TESTS, Operation
from bench.loadgen import NONCE, Load

__all__ = [
    "PEER_DASHBOARD",
    "PEER_DREAMS_WITH_TESTS",
    "PEER_PUBLIC_DREAMS",
    "PEER_TRENDING_PROJECTS",
    "BenchUser",
    "Pair",
    "dashboard",
    "mix",
    "nested",
    "public_dreams",
    "trending_projects",
]

NESTED_VARIABLES: dict[str, object] = {"first": 20, "tests": 5}

PEER_DREAMS_WITH_TESTS = (
    "query DreamsWithTests($userId: String!, $first: Int!, $tests: Int!) "
    "{ userByRowId(rowId: $userId) { dreamsByUserId(first: $first, orderBy: [CREATED_AT_DESC]) "
    "{ edges { node { rowId title status createdAt aiTestsByDreamId(first: $tests, "
    "orderBy: [CREATED_AT_DESC]) { edges { node { rowId model provider impossibilityScore "
    "confidence status createdAt } } } } } } } }"
)

API_DASHBOARD = (
    "query Dashboard { me { name plan } dashboard(first: 10) { totalTests dreams "
    "{ id title testCount bestScore latestProgress { averageImpossibility } } } }"
)
PEER_DASHBOARD = (
    "query Dashboard($userId: String!) { userByRowId(rowId: $userId) { name plan "
    "aiTestsByUserId(condition: {status: COMPLETED}) { totalCount } "
    "dreamsByUserId(first: 10, condition: {status: ACTIVE}, orderBy: [CREATED_AT_DESC]) "
    "{ nodes { rowId title aiTestsByDreamId(condition: {status: COMPLETED}) { totalCount } "
    "progressLogsByDreamId(first: 1, orderBy: [CREATED_AT_DESC]) "
    "{ nodes { bestScore averageImpossibility } } } } } }"
)

API_PUBLIC_DREAMS = (
    "query PublicDreams { dreams(first: 20) { nodes { id title category testCount "
    "bestScore owner { name } latestProgress { averageImpossibility } } } }"
)
PEER_PUBLIC_DREAMS = (
    "query PublicDreams { allDreams(first: 20, condition: {isPublic: true}, "
    "orderBy: [CREATED_AT_DESC]) { nodes { rowId title category "
    "aiTestsByDreamId(condition: {status: COMPLETED}) { totalCount } userByUserId { name } "
    "progressLogsByDreamId(first: 1, orderBy: [CREATED_AT_DESC]) "
    "{ nodes { bestScore averageImpossibility } } } } }"
)

API_TRENDING_PROJECTS = (
    "query TrendingProjects { projects(first: 20) { nodes { id name likes views "
    "owner { name } fileCount messageCount } } }"
)
PEER_TRENDING_PROJECTS = (
    "query TrendingProjects { allProjects(first: 20, condition: {visibility: PUBLIC}, "
    "orderBy: [VIEWS_DESC]) { nodes { rowId name likes views userByUserId { name } "
    "projectFilesByProjectId { totalCount } messagesByProjectId { totalCount } } } }"
)


@dataclass(frozen=True, slots=True)
class BenchUser:
    """A user the bench signs in as: the API needs the token, PostGraphile the id."""

    id: str
    token: str


@dataclass(frozen=True, slots=True)
class Pair:
    """One case's load for each server."""

    api: Load
    peer: Load


def _both(
    api: Operation, peer: Operation, users: Sequence[BenchUser], *, shuffle: bool = True
) -> Pair:
    """`api` signed in as each user, `peer` with `userId` set to each user's id."""
    api_posts = tuple(Operation(api.name, api.query, api.variables, u.token).post() for u in users)
    peer_posts = tuple(peer.post(userId=u.id) for u in users)
    return Pair(Load(api_posts, shuffle=shuffle), Load(peer_posts, shuffle=shuffle))


def nested(users: Sequence[BenchUser]) -> Pair:
    """A user's 20 latest dreams with the 5 latest AI tests of each; random users of `users`."""
    api = Operation("DreamsWithTests", DREAMS_WITH_TESTS, NESTED_VARIABLES)
    peer = Operation("DreamsWithTests", PEER_DREAMS_WITH_TESTS, NESTED_VARIABLES)
    return _both(api, peer, users, shuffle=len(users) > 1)


def mix(pro: BenchUser, repeated: Sequence[BenchUser]) -> Pair:
    """90 %: the nested read of `repeated` users (cache hits); 10 %: `pro`'s with a `nonce`.

    The nonce is a variable neither operation declares: GraphQL ignores it, the API's operation
    cache keys on it (so those requests miss), PostGraphile has no cache to miss.
    """
    pair = nested(repeated)
    api_unique = Operation("DreamsWithTests", DREAMS_WITH_TESTS, NESTED_VARIABLES, pro.token)
    peer_unique = Operation("DreamsWithTests", PEER_DREAMS_WITH_TESTS, NESTED_VARIABLES)
    return Pair(
        Load(pair.api.posts, unique=api_unique.post(nonce=NONCE), unique_every=10),
        Load(pair.peer.posts, unique=peer_unique.post(userId=pro.id, nonce=NONCE), unique_every=10),
    )


def dashboard(users: Sequence[BenchUser]) -> Pair:
    api, peer = Operation("Dashboard", API_DASHBOARD), Operation("Dashboard", PEER_DASHBOARD)
    return _both(api, peer, users)


def _anonymous(name: str, api: str, peer: str) -> Pair:
    return Pair(Load((Operation(name, api).post(),)), Load((Operation(name, peer).post(),)))


def public_dreams() -> Pair:
    return _anonymous("PublicDreams", API_PUBLIC_DREAMS, PEER_PUBLIC_DREAMS)


def trending_projects() -> Pair:
    return _anonymous("TrendingProjects", API_TRENDING_PROJECTS, PEER_TRENDING_PROJECTS)
