"""The GraphQL endpoint: authentication, error masking, GET and POST, bad requests."""

from __future__ import annotations

import asyncio

import httpx

from api.app import create_app
from api.extensions.masking import MASKED_MESSAGE
from api.settings import Settings
from tests.api.conftest import RunApi


async def test_anonymous_request_is_answered(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.query("{ hello me }")
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "world", "me": None}}


async def test_bearer_token_authenticates_the_viewer(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.query("{ me }", user="alice")
    assert response.json() == {"data": {"me": "Alice"}}


async def test_unknown_token_is_refused_with_401(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.post(
            "/graphql", json={"query": "{ hello }"}, headers={"Authorization": "Bearer nope"}
        )
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "does not belong to any user" in error["message"]
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_malformed_authorization_header_is_refused_with_401(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.post(
            "/graphql", json={"query": "{ hello }"}, headers={"Authorization": "Basic abc"}
        )
    assert response.status_code == 401
    assert "Bearer <token>" in response.json()["errors"][0]["message"]


async def test_unexpected_errors_are_masked(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.query("{ broken }")
    body = response.json()
    assert body["errors"][0]["message"] == MASKED_MESSAGE
    assert "no_such_table" not in response.text
    assert "secret_column" not in response.text
    assert "Traceback" not in response.text


async def test_user_errors_are_shown_as_they_are(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.query("{ missing }")
    error = response.json()["errors"][0]
    assert error["message"] == "No dream with id 'nope' exists, or it is not visible to you."
    assert error["extensions"] == {"code": "NOT_FOUND"}


async def test_validation_errors_are_shown(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.query("{ nonsense }")
    assert "Cannot query field 'nonsense'" in response.json()["errors"][0]["message"]


async def test_queries_work_over_get_but_mutations_do_not(run_api: RunApi) -> None:
    async with run_api() as api:
        query = await api.client.get(
            "/graphql", params={"query": "{ hello }"}, headers={"Accept": "application/json"}
        )
        mutation = await api.client.get(
            "/graphql",
            params={"query": 'mutation { bump(name: "get") }'},
            headers={"Accept": "application/json"},
        )
    assert query.json() == {"data": {"hello": "world"}}
    assert mutation.status_code == 405  # GraphQL over HTTP: Method Not Allowed
    assert mutation.headers["allow"] == "POST"
    assert "POST" in mutation.json()["errors"][0]["message"]


async def test_body_that_is_not_json_is_a_400(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.post(
            "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["errors"][0]["message"]


async def test_get_variables_that_are_not_json_are_a_400(run_api: RunApi) -> None:
    async with run_api() as api:
        response = await api.client.get(
            "/graphql",
            params={"query": "{ hello }", "variables": "{nope"},
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 400


async def test_statements_are_counted_per_request_under_concurrency(run_api: RunApi) -> None:
    async with run_api() as api:
        counts = [1, 5, 2, 7, 3, 0, 4, 6]
        responses = await asyncio.gather(
            *(
                api.query(
                    "query($n: Int!) { statements(n: $n) }", {"n": n}, extensions={"cache": False}
                )
                for n in counts
            )
        )
    assert [int(r.headers["x-sql-statements"]) for r in responses] == counts


async def test_sampled_timings_are_written_in_the_background(run_api: RunApi) -> None:
    async with run_api(response_time_sample_rate=1.0) as api:
        for _ in range(3):
            await api.query("query Greeting { hello }", user="bob")
        db = api.services.db
        await api.services.recorder.flush()
        rows = await db.query_raw(
            "SELECT operation, method, status_code, user_id FROM api_response_times "
            "WHERE operation = 'Greeting'"
        )
    assert len(rows) == 3
    assert {(r["method"], r["status_code"], r["user_id"]) for r in rows} == {("POST", 200, "u_bob")}


async def test_the_app_serves_the_domain_schema_by_default(settings: Settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            response = await client.post("/graphql", json={"query": "{ aiModels { name } }"})
    assert response.json() == {"data": {"aiModels": []}}


async def test_a_token_that_cannot_be_checked_is_a_503(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.services.db.disconnect()
        response = await api.query("{ hello }", user="alice")
        await api.services.db.connect()
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_http_caches_never_share_a_signed_in_viewers_answer(run_api: RunApi) -> None:
    async with run_api() as api:
        anonymous = await api.query("{ hello me }")
        signed_in = [await api.query("{ hello me }", user="alice") for _ in range(2)]
        bad_token = await api.client.post(
            "/graphql", json={"query": "{ me }"}, headers={"Authorization": "Bearer nope"}
        )
        get = await api.client.get("/graphql", params={"query": "{ hello }"})

    assert signed_in[1].headers["X-Cache"] == "HIT"  # a cached answer is just as private
    for response in signed_in:
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["Vary"] == "Authorization"
    for response in (anonymous, bad_token):
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Vary"] == "Authorization"
    assert get.headers["Cache-Control"] == "public, max-age=30"  # GET_CACHE_MAX_AGE
    assert get.headers["Vary"] == "Authorization"
    assert bad_token.status_code == 401
