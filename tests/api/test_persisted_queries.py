"""Automatic persisted queries, replaying what real clients send.

Apollo Client's persisted-queries link (and apollo-link-persisted-queries before it) hashes
`print(query)`, sends the hash alone (POST, or GET with `useGETForHashedQueries`), and on
`PersistedQueryNotFound` sends the hash with the text by POST. urql's `persistedExchange` with
`preferGetForPersistedQueries` sends the hash alone by GET, then the hash (marked `miss: true`)
with the text, also by GET. Both match the error by its message.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx

from api.documents import TrustedDocuments
from api.limits.rates import Rate
from tests.api.conftest import TOKENS, Api, RunApi

HELLO = "query Hello {\n  hello\n}"  # graphql-js print() output, what both clients hash and send
HELLO_HASH = TrustedDocuments.hash_of(HELLO)
BUMP = 'mutation Bump {\n  bump(name: "apq")\n}'
NOT_FOUND = {
    "data": None,
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ],
}


def extensions(sha256: str, **extra: object) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256, **extra}}


async def apollo_post(
    api: Api, sha256: str, query: str | None = None, *, name: str = "Hello", user: str = ""
) -> httpx.Response:
    """apollo-link-http's body: operationName, variables, extensions, and query when included."""
    body: dict[str, object] = {
        "operationName": name,
        "variables": {},
        "extensions": extensions(sha256),
    }
    if query is not None:
        body["query"] = query
    headers = {"Authorization": f"Bearer {TOKENS[user]}"} if user else {}
    return await api.client.post("/graphql", json=body, headers=headers)


async def get(api: Api, params: dict[str, object], *, user: str = "") -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    headers = {"Accept": "application/graphql-response+json, application/json;q=0.9"}
    if user:
        headers["Authorization"] = f"Bearer {TOKENS[user]}"
    return await api.client.get("/graphql", params=encoded, headers=headers)


def apollo_get_params(sha256: str, name: str = "Hello") -> dict[str, object]:
    return {"operationName": name, "variables": {}, "extensions": extensions(sha256)}


async def test_apollo_link_posts_the_hash_then_the_text_then_the_hash(run_api: RunApi) -> None:
    async with run_api() as api:
        miss = await apollo_post(api, HELLO_HASH)
        registered = await apollo_post(api, HELLO_HASH, HELLO)
        served = await apollo_post(api, HELLO_HASH)
        events = api.services.persisted.events
        outcomes = {o: events.value(outcome=o) for o in ("miss", "registered", "hit")}
    assert (miss.status_code, miss.json()) == (200, NOT_FOUND)
    assert miss.headers["Cache-Control"] == "no-store"  # a CDN must never keep a miss
    assert registered.json() == {"data": {"hello": "world"}}
    assert served.json() == {"data": {"hello": "world"}}
    assert outcomes == {"miss": 1, "registered": 1, "hit": 1}


async def test_apollo_get_for_hashed_queries_is_cacheable_by_cdns(run_api: RunApi) -> None:
    async with run_api() as api:
        miss = await get(api, apollo_get_params(HELLO_HASH))
        registered = await apollo_post(api, HELLO_HASH, HELLO)  # the retry is a POST
        served = await get(api, apollo_get_params(HELLO_HASH))
        again = await get(api, apollo_get_params(HELLO_HASH))
        signed_in = await get(api, apollo_get_params(HELLO_HASH), user="alice")
    assert (miss.status_code, miss.json()) == (200, NOT_FOUND)
    assert miss.headers["Cache-Control"] == "no-store"
    assert registered.json() == {"data": {"hello": "world"}}
    assert registered.headers["Cache-Control"] == "no-cache"  # a POST: no shared cache keeps it
    for response in (served, again):
        assert response.json() == {"data": {"hello": "world"}}
        assert response.headers["Cache-Control"] == "public, max-age=30"
        assert response.headers["Vary"] == "Authorization"
    assert again.headers["X-Cache"] == "HIT"
    assert signed_in.json() == {"data": {"hello": "world"}}
    assert signed_in.headers["Cache-Control"] == "private, no-store"


async def test_urql_gets_the_hash_then_the_marked_miss_with_the_text(run_api: RunApi) -> None:
    urql_hello = "query Hello { hello }"  # urql sends (and hashes) the document's own text
    sha256 = TrustedDocuments.hash_of(urql_hello)
    async with run_api() as api:
        miss = await get(
            api, {"operationName": "Hello", "variables": {}, "extensions": extensions(sha256)}
        )
        registered = await get(
            api,
            {
                "operationName": "Hello",
                "query": urql_hello,
                "variables": {},
                "extensions": extensions(sha256, miss=True),
            },
        )
        served = await get(
            api, {"operationName": "Hello", "variables": {}, "extensions": extensions(sha256)}
        )
    assert (miss.status_code, miss.json()) == (200, NOT_FOUND)
    assert registered.json() == {"data": {"hello": "world"}}
    assert served.json() == {"data": {"hello": "world"}}
    assert served.headers["Cache-Control"] == "public, max-age=30"


async def test_a_hash_registered_on_one_process_is_served_by_another(run_api: RunApi) -> None:
    async with run_api() as first, run_api() as second:  # two apps sharing one Redis
        await apollo_post(first, HELLO_HASH, HELLO)
        served = await apollo_post(second, HELLO_HASH)
        memo_hits = second.services.persisted.events.value(outcome="hit")
    assert served.json() == {"data": {"hello": "world"}}
    assert memo_hits == 1


async def test_a_wrong_hash_or_an_invalid_document_is_never_registered(run_api: RunApi) -> None:
    wrong = TrustedDocuments.hash_of("{ other }")
    invalid = "query Hello {\n  nope\n}"
    invalid_hash = TrustedDocuments.hash_of(invalid)
    async with run_api() as api:
        mismatch = await apollo_post(api, wrong, HELLO)
        after_mismatch = await apollo_post(api, wrong)
        refused = await apollo_post(api, invalid_hash, invalid)
        after_refused = await apollo_post(api, invalid_hash)
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert HELLO_HASH in mismatch.json()["errors"][0]["message"]
    assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert after_mismatch.json() == NOT_FOUND
    assert after_refused.json() == NOT_FOUND


async def test_a_persisted_mutation_runs_by_post_only(run_api: RunApi) -> None:
    sha256 = TrustedDocuments.hash_of(BUMP)
    async with run_api() as api:
        registered = await apollo_post(api, sha256, BUMP, name="Bump")
        by_get = await get(api, apollo_get_params(sha256, "Bump"))
        by_post = await apollo_post(api, sha256, name="Bump")
    assert registered.json()["data"]["bump"] + 1 == by_post.json()["data"]["bump"]
    assert by_get.status_code == 405
    assert by_get.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert by_get.headers["Allow"] == "POST"


async def test_malformed_persisted_query_extensions_are_bad_requests(run_api: RunApi) -> None:
    async with run_api() as api:
        version = await api.client.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": HELLO_HASH}}},
        )
        not_hex = await apollo_post(api, "z" * 64)
        short = await apollo_post(api, "abc")
        upper = await apollo_post(api, HELLO_HASH.upper(), HELLO)
    for response in (version, not_hex, short):
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert upper.json() == {"data": {"hello": "world"}}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_with_redis_down_this_process_remembers_what_it_was_sent(run_api: RunApi) -> None:
    async with run_api(redis_url=f"redis://127.0.0.1:{closed_port()}/0") as api:
        miss = await apollo_post(api, HELLO_HASH)
        registered = await apollo_post(api, HELLO_HASH, HELLO)
        served = await apollo_post(api, HELLO_HASH)
        errors = api.services.persisted.events.value(outcome="error")
        metrics = (await api.client.get("/metrics")).text
    assert miss.json() == NOT_FOUND
    assert registered.json() == {"data": {"hello": "world"}}
    assert served.json() == {"data": {"hello": "world"}}
    assert errors == 2  # the lookup and the registration, both counted
    assert 'api_persisted_queries_total{outcome="error"} 2' in metrics


async def test_turned_off_a_hash_alone_is_not_supported(run_api: RunApi) -> None:
    async with run_api(persisted_queries=False) as api:
        alone = await apollo_post(api, HELLO_HASH)
        with_text = await apollo_post(api, HELLO_HASH, HELLO)
    assert alone.status_code == 400
    assert alone.json()["errors"] == [
        {
            "message": "PersistedQueryNotSupported",
            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
        }
    ]
    assert with_text.json() == {"data": {"hello": "world"}}


async def test_trusted_documents_run_by_hash_and_nothing_else_registers(
    run_api: RunApi, tmp_path: Path
) -> None:
    listed = tmp_path / "persisted-documents.json"
    listed.write_text(json.dumps({HELLO_HASH: HELLO}))
    other = "query Other {\n  nested {\n    leaf\n  }\n}"
    other_hash = TrustedDocuments.hash_of(other)
    async with run_api(trusted_documents=listed) as api:
        by_hash = await apollo_post(api, HELLO_HASH)  # listed: served without a round trip
        sent = await apollo_post(api, other_hash, other, name="Other")
        again = await apollo_post(api, other_hash, name="Other")
    assert by_hash.json() == {"data": {"hello": "world"}}
    for response in (sent, again):
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "UNTRUSTED_DOCUMENT"


async def test_a_request_over_its_rate_limit_registers_nothing(run_api: RunApi) -> None:
    async with run_api(rate_limit=Rate(1, 60), rate_limit_per_field=None) as api:
        await api.query("{ hello }")
        refused = await apollo_post(api, HELLO_HASH, HELLO)
        registered = api.services.persisted.events.value(outcome="registered")
    assert refused.status_code == 429
    assert registered == 0


async def test_over_its_registration_limit_a_query_runs_unregistered(run_api: RunApi) -> None:
    other = "query Other {\n  nested {\n    leaf\n  }\n}"
    other_hash = TrustedDocuments.hash_of(other)
    async with run_api(rate_limit_registrations=Rate(1, 60)) as api:
        first = await apollo_post(api, HELLO_HASH, HELLO)
        second = await apollo_post(api, other_hash, other, name="Other")
        async with run_api() as fresh:  # a process whose memo hasn't seen them
            hello = await apollo_post(fresh, HELLO_HASH)
            unregistered = await apollo_post(fresh, other_hash, name="Other")
    assert first.json() == {"data": {"hello": "world"}}
    assert second.json() == {"data": {"nested": {"leaf": 1}}}
    assert hello.json() == {"data": {"hello": "world"}}
    assert unregistered.json() == NOT_FOUND
