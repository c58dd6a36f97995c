"""The peer bench's query builders: each side's documents are valid for its server's schema
(ours, and PostGraphile's as `bench/peer/postgraphile.graphql` records it), and every request
carries the variables and the viewer its document needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
from graphql import (
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)

from api.schema import schema
from bench.loadgen import NONCE, Load, Post, lua_script
from bench.peer.queries import (
    BenchUser,
    Pair,
    dashboard,
    mix,
    nested,
    public_dreams,
    trending_projects,
)

API_SCHEMA = schema._schema  # pyright: ignore[reportPrivateUsage]
PEER_SCHEMA = build_schema(
    (Path(__file__).parents[3] / "bench" / "peer" / "postgraphile.graphql").read_text()
)
USERS = [BenchUser(f"user{n}", f"bench-user{n}") for n in range(3)]
PAIRS: dict[str, Pair] = {
    "nested": nested(USERS),
    "mix": mix(USERS[0], USERS[1:]),
    "dashboard": dashboard(USERS),
    "public": public_dreams(),
    "trending": trending_projects(),
}


def posts(load: Load) -> list[Post]:
    return [*load.posts, *([load.unique] if load.unique else [])]


def body(post: Post) -> dict[str, object]:
    return cast(dict[str, object], json.loads(post.body))


def check(schema: GraphQLSchema, post: Post) -> None:
    sent = body(post)
    document = parse(cast(str, sent["query"]))
    assert validate(schema, document) == []
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.name is not None
    assert operation.name.value == sent["operationName"]
    declared = {v.variable.name.value for v in operation.variable_definitions or ()}
    assert declared == set(cast(dict[str, object], sent["variables"])) - {"nonce"}


@pytest.mark.parametrize("case", PAIRS)
def test_each_side_sends_documents_its_server_accepts_with_the_variables_they_declare(
    case: str,
) -> None:
    for post in posts(PAIRS[case].api):
        check(API_SCHEMA, post)
    for post in posts(PAIRS[case].peer):
        check(PEER_SCHEMA, post)


def test_a_user_read_signs_in_on_the_api_and_names_the_user_to_postgraphile() -> None:
    pair = nested(USERS)
    assert [dict(p.headers)["Authorization"] for p in pair.api.posts] == [
        f"Bearer {u.token}" for u in USERS
    ]
    assert [body(p)["variables"] for p in pair.peer.posts] == [
        {"first": 20, "tests": 5, "userId": u.id} for u in USERS
    ]
    assert pair.api.shuffle
    assert pair.peer.shuffle
    assert not nested(USERS[:1]).api.shuffle


def test_the_mix_repeats_some_users_and_sends_every_tenth_request_with_a_fresh_nonce() -> None:
    pair = mix(USERS[0], USERS[1:])
    for load in (pair.api, pair.peer):
        assert len(load.posts) == 2
        assert load.unique is not None
        assert load.unique_every == 10
        assert body(load.unique)["variables"] == {
            "first": 20,
            "tests": 5,
            "nonce": NONCE,
            **({"userId": "user0"} if load is pair.peer else {}),
        }
    assert pair.api.unique is not None
    assert dict(pair.api.unique.headers)["Authorization"] == "Bearer bench-user0"


def test_anonymous_operations_send_no_authorization() -> None:
    for pair in (public_dreams(), trending_projects()):
        assert [p.headers for p in (*pair.api.posts, *pair.peer.posts)] == [(), ()]


def test_wrk_picks_at_random_only_when_asked() -> None:
    load = Load((Post("{}"), Post("[]")))
    assert "local shuffle = false" in lua_script(load)
    assert "local shuffle = true" in lua_script(Load(load.posts, shuffle=True))
