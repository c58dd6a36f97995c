"""Issue 9, item 10: production ran with development's open defaults.

With ENVIRONMENT=production, GraphiQL, introspection and "Did you mean" suggestions are off
unless a setting turns them on, POSTs must be `application/json` (a cross-site form can send
`text/plain`, form and multipart bodies without a preflight), and with TRUSTED_DOCUMENTS only
the documents listed there run.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.documents import TrustedDocuments, TrustedDocumentsError
from api.settings import Environment, Settings
from tests.api.conftest import Api, RunApi
from tests.reliability.api_fixtures import api_database, redis_prefix, run_api, settings

__all__ = ["api_database", "redis_prefix", "run_api", "settings"]

PRODUCTION = Environment.PRODUCTION
HELLO = "query Hello { hello }"
BUMP = 'mutation Bump { bump(name: "trusted") }'


def code(response: httpx.Response) -> object:
    return response.json()["errors"][0]["extensions"]["code"]


async def counter(api: Api, name: str) -> int:
    row = await api.services.db.query_first("SELECT value FROM counters WHERE name = $1", name)
    return 0 if row is None else int(row["value"])


async def test_production_turns_off_graphiql_introspection_and_suggestions(
    run_api: RunApi,
) -> None:
    async with run_api(environment=PRODUCTION) as api:
        page = await api.client.get("/graphql", headers={"Accept": "text/html"})
        schema = await api.query("{ __schema { queryType { name } } }")
        typename = await api.query("{ __typename }")
        typo = await api.query("{ helo }")
    assert (page.status_code, code(page)) == (404, "NOT_FOUND")
    assert code(schema) == "INTROSPECTION_DISABLED"
    assert typename.json() == {"data": {"__typename": "Query"}}
    assert code(typo) == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" not in typo.text


async def test_settings_turn_each_back_on(run_api: RunApi) -> None:
    opened = {"graphiql": True, "introspection": True, "suggestions": True, "json_only": False}
    async with run_api(environment=PRODUCTION, **opened) as api:
        page = await api.client.get("/graphql", headers={"Accept": "text/html"})
        schema = await api.query("{ __schema { queryType { name } } }")
        typo = await api.query("{ helo }")
        plain = await api.client.post(
            "/graphql", content=json.dumps({"query": HELLO}), headers={"Content-Type": "text/plain"}
        )
    assert page.status_code == 200
    assert schema.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert "Did you mean 'hello'?" in typo.text
    assert plain.json() == {"data": {"hello": "world"}}


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"content": json.dumps({"query": BUMP}), "headers": {"Content-Type": "text/plain"}},
        {"data": {"query": BUMP}},  # application/x-www-form-urlencoded
        {"files": {"query": (None, BUMP)}},  # multipart/form-data
        {"content": json.dumps({"query": BUMP})},  # no Content-Type at all
    ],
)
async def test_production_runs_json_posts_only(
    run_api: RunApi, request_kwargs: dict[str, object]
) -> None:
    async with run_api(environment=PRODUCTION) as api:
        before = await counter(api, "trusted")
        refused = await api.client.post("/graphql", **request_kwargs)  # pyright: ignore[reportArgumentType]
        after_refusal = await counter(api, "trusted")
        by_json = await api.query(BUMP)
        by_get = await api.client.get(
            "/graphql", params={"query": HELLO}, headers={"Accept": "application/json"}
        )
        mutation_by_get = await api.client.get(
            "/graphql", params={"query": BUMP}, headers={"Accept": "application/json"}
        )
    assert (refused.status_code, code(refused)) == (415, "UNSUPPORTED_MEDIA_TYPE")
    assert after_refusal == before  # the mutation never ran
    assert by_json.json() == {"data": {"bump": before + 1}}
    assert by_get.json() == {"data": {"hello": "world"}}
    assert (mutation_by_get.status_code, code(mutation_by_get)) == (405, "METHOD_NOT_ALLOWED")


def write_trusted(folder: Path) -> Path:
    """The trusted documents in each format we read: a hash-to-text map, an Apollo manifest
    and a `.graphql` file, in one folder."""
    folder.mkdir()
    (folder / "persisted-documents.json").write_text(
        json.dumps({TrustedDocuments.hash_of(HELLO): HELLO})
    )
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": TrustedDocuments.hash_of(BUMP), "name": "Bump", "type": "mutation", "body": BUMP}
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "nested.graphql").write_text("{ nested { leaf } }")
    return folder


async def test_with_trusted_documents_only_they_run(run_api: RunApi, tmp_path: Path) -> None:
    folder = write_trusted(tmp_path / "trusted")
    by_hash = {"persistedQuery": {"version": 1, "sha256Hash": TrustedDocuments.hash_of(BUMP)}}
    async with run_api(environment=PRODUCTION, trusted_documents=folder) as api:
        before = await counter(api, "trusted")
        text = await api.query(HELLO)
        hashed = await api.client.post("/graphql", json={"extensions": by_hash})
        file = await api.query("{ nested { leaf } }")
        get_by_hash = await api.client.get(
            "/graphql",
            params={"extensions": json.dumps({"persistedQuery": {
                "version": 1, "sha256Hash": TrustedDocuments.hash_of(HELLO)}})},
            headers={"Accept": "application/json"},
        )  # fmt: skip
        untrusted = await api.query("{ hello }")
        unknown = await api.client.post(
            "/graphql", json={"extensions": {"persistedQuery": {"sha256Hash": "0" * 64}}}
        )
        bumped = await counter(api, "trusted")
    assert text.json() == {"data": {"hello": "world"}}
    assert hashed.json() == {"data": {"bump": before + 1}}
    assert bumped == before + 1
    assert file.json() == {"data": {"nested": {"leaf": 1}}}
    assert get_by_hash.json() == {"data": {"hello": "world"}}
    assert (untrusted.status_code, code(untrusted)) == (403, "UNTRUSTED_DOCUMENT")
    assert TrustedDocuments.hash_of("{ hello }") in untrusted.json()["errors"][0]["message"]
    assert (unknown.status_code, code(unknown)) == (403, "UNTRUSTED_DOCUMENT")


async def test_without_persisted_queries_a_hash_alone_is_not_supported(run_api: RunApi) -> None:
    async with run_api(persisted_queries=False) as api:
        response = await api.client.post(
            "/graphql", json={"extensions": {"persistedQuery": {"sha256Hash": "0" * 64}}}
        )
    assert (response.status_code, code(response)) == (400, "PERSISTED_QUERY_NOT_SUPPORTED")


def test_a_trusted_document_list_that_does_not_hash_is_refused_at_startup(
    settings: Settings, tmp_path: Path
) -> None:
    relay = tmp_path / "queries.json"
    relay.write_text(json.dumps({"d41d8cd98f00b204e9800998ecf8427e": HELLO}))  # an md5
    with pytest.raises(TrustedDocumentsError, match=r"queries\.json"):
        create_app(replace(settings, environment=PRODUCTION, trusted_documents=relay))
