"""Request limits: body size (413), query depth, aliases and tokens."""

from __future__ import annotations

from tests.api.conftest import RunApi


async def test_a_body_over_the_limit_is_refused_with_413(run_api: RunApi) -> None:
    async with run_api(max_body_bytes=1_000) as api:
        small = await api.query("{ hello }")
        large = await api.query("{ hello }", {"padding": "x" * 2_000})
    assert small.status_code == 200
    assert large.status_code == 413
    assert large.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_streamed_body_over_the_limit_is_refused_with_413(run_api: RunApi) -> None:
    async def chunks():  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b" " * 500

    async with run_api(max_body_bytes=1_000) as api:
        response = await api.client.post(
            "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413


async def test_queries_deeper_than_the_limit_are_rejected(run_api: RunApi) -> None:
    async with run_api(max_query_depth=3) as api:
        shallow = await api.query("{ nested { child { leaf } } }")
        deep = await api.query("{ nested { child { child { child { leaf } } } } }")
    assert shallow.json() == {"data": {"nested": {"child": {"leaf": 1}}}}
    assert "exceeds maximum operation depth" in deep.json()["errors"][0]["message"]
    assert deep.json()["data"] is None


async def test_introspection_is_not_depth_limited(run_api: RunApi) -> None:
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"
    async with run_api(max_query_depth=3) as api:
        response = await api.query(query)
    assert "errors" not in response.json()


async def test_too_many_aliases_are_rejected(run_api: RunApi) -> None:
    async with run_api(max_aliases=3) as api:
        ok = await api.query("{ a: hello b: hello c: hello }")
        too_many = await api.query("{ a: hello b: hello c: hello d: hello }")
    assert "errors" not in ok.json()
    assert "aliases" in too_many.json()["errors"][0]["message"]


async def test_documents_with_too_many_tokens_are_rejected(run_api: RunApi) -> None:
    async with run_api(max_tokens=20) as api:
        ok = await api.query("{ hello }")
        long = await api.query("{ " + " ".join(["hello"] * 30) + " }")
    assert "errors" not in ok.json()
    assert "token" in long.json()["errors"][0]["message"].lower()


async def test_statements_over_the_timeout_are_cancelled_and_masked(run_api: RunApi) -> None:
    async with run_api(db_statement_timeout_ms=50) as api:
        response = await api.query("{ sleep(ms: 2000) }", extensions={"cache": False})
    error = response.json()["errors"][0]
    assert error["message"].startswith("Unexpected error.")
    assert "statement timeout" not in response.text


async def test_limits_hold_for_a_document_sent_again(run_api: RunApi) -> None:
    """Parsed and validated documents are memoized; the memo keeps their errors too."""
    deep = "{ nested { child { child { child { leaf } } } } }"
    async with run_api(max_query_depth=3, max_tokens=20) as api:
        answers = [await api.query(deep) for _ in range(3)]
        long = [await api.query("{ " + " ".join(["hello"] * 30) + " }") for _ in range(2)]
        shallow = [await api.query("{ nested { child { leaf } } }") for _ in range(2)]
    assert all("maximum operation depth" in a.json()["errors"][0]["message"] for a in answers)
    assert all("token" in a.json()["errors"][0]["message"].lower() for a in long)
    assert all(a.json() == {"data": {"nested": {"child": {"leaf": 1}}}} for a in shallow)
