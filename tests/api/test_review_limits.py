"""Review: lists bounded by the page-size cap, and operational side channels (timings, metrics)."""

from __future__ import annotations

from api.settings import MonitoringAccess
from tests.api import domain_fixtures
from tests.api.conftest import Api, RunApi
from tests.api.domain_fixtures import ALICE, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database


async def test_a_projects_files_are_capped_like_every_other_list(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE)
    await Seed(domain_api.services.db).files(project, 101)
    query = """query ($id: ID!, $first: Int) { project(id: $id) {
      files(first: $first) { edges { node { path } } pageInfo { hasNextPage } } } }"""

    default = data_of(await domain_api.query(query, {"id": project}))["project"]["files"]
    most = data_of(await domain_api.query(query, {"id": project, "first": 100}))
    too_many = await domain_api.query(query, {"id": project, "first": 101})

    assert (len(default["edges"]), default["pageInfo"]["hasNextPage"]) == (20, True)
    assert len(most["project"]["files"]["edges"]) == 100
    assert errors_of(too_many)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "first"}


async def test_a_hostile_operation_name_does_not_lose_other_requests_timings(
    run_api: RunApi,
) -> None:
    async with run_api(response_time_sample_rate=1.0) as api:
        db = api.services.db
        before = await db.query_first("SELECT count(*)::int AS n FROM api_response_times")
        await api.query("query Fine { hello }")
        bad = await api.query("{ hello }", operationName="bad\x00name")
        await api.services.recorder.flush()
        after = await db.query_first("SELECT count(*)::int AS n FROM api_response_times")

    assert before is not None
    assert after is not None
    assert after["n"] - before["n"] >= 2
    assert bad.status_code == 400  # an unknown operation name is the client's error, not a 500


async def test_one_row_postgresql_refuses_loses_only_itself(run_api: RunApi) -> None:
    async with run_api(response_time_sample_rate=1.0) as api:
        recorder = api.services.recorder
        db = api.services.db
        await recorder.flush()
        written = recorder.written
        recorder.record("RowOne", "POST", 200, 1.0, None)
        recorder.record("RowRefused", "POST", 200, 1.0, "user\x00id")  # user ids aren't cleaned
        recorder.record("RowTwo", "POST", 200, 1.0, None)
        await recorder.flush()
        rows = await db.query_raw(
            "SELECT operation FROM api_response_times WHERE operation = ANY($1) ORDER BY id",
            ["RowOne", "RowRefused", "RowTwo"],
        )

    assert [row["operation"] for row in rows] == ["RowOne", "RowTwo"]
    assert recorder.written - written == 2


async def test_metrics_are_open_by_default_and_admin_only_when_configured(
    run_api: RunApi,
) -> None:
    """Decision: scrapers carry no user token, so /metrics doesn't follow MONITORING_ACCESS;
    METRICS_ACCESS=admin (README, Operations) makes it admin-only."""
    async with run_api(monitoring_access=MonitoringAccess.ADMIN) as api:
        default = await api.client.get("/metrics")
    async with run_api(metrics_access=MonitoringAccess.ADMIN) as api:
        anonymous = await api.client.get("/metrics")
        user = await api.client.get("/metrics", headers={"Authorization": "Bearer alice-token"})
        admin = await api.client.get("/metrics", headers={"Authorization": "Bearer root-token"})

    assert default.status_code == 200
    assert "# TYPE" in default.text
    assert (anonymous.status_code, user.status_code, admin.status_code) == (401, 403, 200)
    assert "# TYPE" in admin.text
    assert "METRICS_ACCESS=admin" in user.text
