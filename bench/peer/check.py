"""Before measuring: both servers answer every case without errors, and list the same rows in the
same order (the nested read's dreams and tests; the dashboard's, public dreams' and trending
projects' rows), else the comparison would be unfair.
"""

from __future__ import annotations

import json
from typing import cast

import httpx

from bench.loadgen import NONCE, Load, Post
from bench.peer.database import BenchUsers
from bench.peer.queries import Pair, nested
from bench.peer.run import Case, Servers
from bench.peer.servers import Running

__all__ = ["WARM_POSTS", "check_nested", "check_same_rows", "warm"]

WARM_POSTS = 50  # per uncached case and side: enough to connect pools and plan; all when cached
JsonObject = dict[str, object]


class BenchCheckError(SystemExit):
    """A server answered a bench request with an error: the figures would measure errors."""


def _send(running: Running, post: Post) -> httpx.Response:
    headers = {"Content-Type": "application/json", **dict(post.headers)}
    body = post.body.replace(NONCE, "warm-up")
    return httpx.post(f"{running.base}/graphql", content=body, headers=headers, timeout=120)


def ask(running: Running, post: Post) -> JsonObject:
    response = _send(running, post)
    answer = cast(JsonObject, response.json())
    if response.status_code != 200 or "errors" in answer or answer.get("data") is None:
        raise BenchCheckError(f"{running.name} answered {response.status_code}: {response.text}")
    return cast(JsonObject, answer["data"])


def _posts(load: Load, *, every: bool) -> list[Post]:
    posts = list(load.posts) + ([load.unique] if load.unique else [])
    return posts if every else posts[:WARM_POSTS]


def warm(servers: Servers, case: Case, pair: Pair) -> None:
    """Each side answers the case's requests without errors (all of them on a cached API)."""
    for post in _posts(pair.api, every=case.cached):
        ask(servers.api(case), post)
    for post in _posts(pair.peer, every=False):
        ask(servers.peer, post)
    if case.cached and _send(servers.api_cached, pair.api.posts[0]).headers.get("x-cache") != "HIT":
        print(
            f"WARNING: {case.label}: the API's operation cache does not answer a repeat"
            " (X-Cache is not HIT); see the server log, e.g. a database behind the schema",
            flush=True,
        )


def _edges(connection: object) -> list[JsonObject]:
    edges = cast(list[JsonObject], cast(JsonObject, connection)["edges"])
    return [cast(JsonObject, e["node"]) for e in edges]


def _shape(dreams: object, *, id_key: str, tests_key: str) -> list[tuple[object, list[object]]]:
    return [(d[id_key], [t[id_key] for t in _edges(d[tests_key])]) for d in _edges(dreams)]


def _ids(data: JsonObject, path: tuple[str, ...], id_key: str) -> list[object]:
    """The `id_key` of each object in the list at `path` (a connection's `nodes`, or a list)."""
    for key in path[:-1]:
        data = cast(JsonObject, data[key])
    return [row[id_key] for row in cast(list[JsonObject], data[path[-1]])]


# The list each side answers, for the cases that read the same rows in the same order.
SAME_ROWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dashboard": (("dashboard", "dreams"), ("userByRowId", "dreamsByUserId", "nodes")),
    "public": (("dreams", "nodes"), ("allDreams", "nodes")),
    "trending": (("projects", "nodes"), ("allProjects", "nodes")),
}


def check_same_rows(servers: Servers, case: Case, pair: Pair, *, count: int = 5) -> None:
    """Both servers list the same rows, in the same order, for the case's first requests."""
    if case.key not in SAME_ROWS:
        return
    api_path, peer_path = SAME_ROWS[case.key]
    for api_post, peer_post in list(zip(pair.api.posts, pair.peer.posts, strict=True))[:count]:
        api = _ids(ask(servers.api_uncached, api_post), api_path, "id")
        peer = _ids(ask(servers.peer, peer_post), peer_path, "rowId")
        if api != peer:
            raise BenchCheckError(f"{case.label} differs:\nAPI {api}\nPostGraphile {peer}")


def check_nested(servers: Servers, users: BenchUsers, *, count: int = 5) -> None:
    """The nested read gives the same dream and test ids, in order, on both servers."""
    sample = [users.pro, *users.random[:count], *users.full[:count]]
    pair = nested(sample)
    for user, api_post, peer_post in zip(sample, pair.api.posts, pair.peer.posts, strict=True):
        answer = ask(servers.api_uncached, api_post)
        api = _shape(answer["dreams"], id_key="id", tests_key="aiTests")
        owner = cast(JsonObject, ask(servers.peer, peer_post)["userByRowId"])
        peer = _shape(owner["dreamsByUserId"], id_key="rowId", tests_key="aiTestsByDreamId")
        if api != peer:
            raise BenchCheckError(
                f"the nested read differs for user {user.id}:\nAPI {json.dumps(api)}\n"
                f"PostGraphile {json.dumps(peer)}"
            )
    print(f"nested read: the same dreams and tests on both servers for {len(sample)} users")
