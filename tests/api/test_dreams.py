"""Dreams through the GraphQL API: reading, writing, recording tests, the decay chart."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from prisma import Prisma
from prisma.enums import DreamStatus
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

DREAM = """
query ($id: ID!) {
  dream(id: $id) {
    id title isPublic status owner { name }
    testCount bestScore
    latestProgress { averageImpossibility improvementTrend testCount }
  }
}
"""

CHART = """
query ($id: ID!) {
  dream(id: $id) {
    decayChart(range: LAST_30_DAYS, bucket: DAY) { trend points { average best count } }
  }
}
"""

CREATE = """
mutation ($input: CreateDreamInput!) {
  createDream(input: $input) { dream { id title tags isPublic category owner { name } } }
}
"""

RECORD = """
mutation ($input: RecordAiTestInput!) {
  recordAiTest(input: $input) {
    aiTest { id impossibilityScore model }
    progress { averageImpossibility bestScore testCount activeModels improvementTrend }
  }
}
"""


def _record_input(dream_id: str, score: float, model: str = "gpt-4o") -> dict[str, object]:
    return {
        "input": {
            "dreamId": dream_id,
            "provider": "OPENAI",
            "model": model,
            "impossibilityScore": score,
            "confidence": 90,
        }
    }


async def test_owner_reads_a_dream_with_its_aggregates(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE, "Teleport")
    await seed.ai_tests(dream_id, ALICE, [90, 70, 80])
    await seed.progress(dream_id, 80)

    dream = data_of(await domain_api.query(DREAM, {"id": dream_id}, user="alice"))["dream"]

    assert dream == {
        "id": dream_id,
        "title": "Teleport",
        "isPublic": False,
        "status": "ACTIVE",
        "owner": {"name": "Alice"},
        "testCount": 3,
        "bestScore": 70.0,
        "latestProgress": {"averageImpossibility": 80.0, "improvementTrend": 0.0, "testCount": 1},
    }


async def test_create_dream_validates_and_normalises_input(domain_api: Api) -> None:
    created = data_of(
        await domain_api.query(
            CREATE,
            {
                "input": {
                    "title": "  Read minds  ",
                    "originalPrompt": "Tell me what I think",
                    "tags": ["AI", "ai", " brain "],
                    "category": "SCIENCE",
                    "isPublic": True,
                }
            },
            user="alice",
        )
    )["createDream"]["dream"]

    assert created["title"] == "Read minds"
    assert created["tags"] == ["ai", "brain"]
    assert created["category"] == "SCIENCE"
    assert created["owner"] == {"name": "Alice"}


async def test_create_dream_reports_the_field_at_fault(domain_api: Api) -> None:
    too_long: dict[str, object] = {"input": {"title": "x" * 201, "originalPrompt": "p"}}
    (error,) = errors_of(await domain_api.query(CREATE, too_long, user="alice"))
    assert error["extensions"] == {"code": "VALIDATION_ERROR", "field": "title"}
    assert "at most 200 characters" in str(error["message"])

    empty: dict[str, object] = {"input": {"title": "ok", "originalPrompt": "   "}}
    (error,) = errors_of(await domain_api.query(CREATE, empty, user="alice"))
    assert error["extensions"] == {"code": "VALIDATION_ERROR", "field": "originalPrompt"}


async def test_record_ai_test_writes_the_progress_snapshot(domain_api: Api) -> None:
    db: Prisma = domain_api.services.db
    dream_id = await Seed(db).dream(ALICE)

    first = data_of(await domain_api.query(RECORD, _record_input(dream_id, 80), user="alice"))
    second = data_of(
        await domain_api.query(RECORD, _record_input(dream_id, 60, "claude"), user="alice")
    )

    assert first["recordAiTest"]["progress"] == {
        "averageImpossibility": 80.0,
        "bestScore": 80.0,
        "testCount": 1,
        "activeModels": ["gpt-4o"],
        "improvementTrend": 0.0,
    }
    assert second["recordAiTest"]["progress"] == {
        "averageImpossibility": 70.0,
        "bestScore": 60.0,
        "testCount": 2,
        "activeModels": ["claude", "gpt-4o"],
        "improvementTrend": -12.5,
    }
    assert await db.progresslog.count(where={"dreamId": dream_id}) == 2


async def test_record_ai_test_rejects_scores_out_of_range(domain_api: Api) -> None:
    db: Prisma = domain_api.services.db
    dream_id = await Seed(db).dream(ALICE)

    (error,) = errors_of(await domain_api.query(RECORD, _record_input(dream_id, 101), user="alice"))

    assert error["extensions"] == {"code": "VALIDATION_ERROR", "field": "impossibilityScore"}
    assert "between 0 and 100" in str(error["message"])
    assert await db.aitest.count(where={"dreamId": dream_id}) == 0


async def test_decay_chart_changes_right_after_a_test_is_recorded(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE)
    await seed.ai_tests(dream_id, ALICE, [90, 80], days_apart=2)

    before = data_of(await domain_api.query(CHART, {"id": dream_id}, user="alice"))
    cached = data_of(await domain_api.query(CHART, {"id": dream_id}, user="alice"))
    data_of(await domain_api.query(RECORD, _record_input(dream_id, 40), user="alice"))
    after = data_of(await domain_api.query(CHART, {"id": dream_id}, user="alice"))

    assert cached == before
    assert before["dream"]["decayChart"] == {
        "trend": -11.11,
        "points": [
            {"average": 90.0, "best": 90.0, "count": 1},
            {"average": 80.0, "best": 80.0, "count": 1},
        ],
    }
    assert after["dream"]["decayChart"] == {
        "trend": -33.33,
        "points": [
            {"average": 90.0, "best": 90.0, "count": 1},
            {"average": 60.0, "best": 40.0, "count": 2},
        ],
    }


async def test_weekly_chart_buckets_start_on_monday_midnight_utc(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE, public=True)
    await seed.ai_tests(dream_id, ALICE, [90, 80, 70, 60, 50, 40, 30, 20], days_apart=7)
    query = """
    query ($id: ID!) {
      dream(id: $id) {
        decayChart(range: LAST_90_DAYS, bucket: WEEK) { points { bucketStart count } }
      }
    }
    """

    chart = data_of(await domain_api.query(query, {"id": dream_id}))["dream"]["decayChart"]

    starts = [datetime.fromisoformat(point["bucketStart"]) for point in chart["points"]]
    assert sum(point["count"] for point in chart["points"]) == 8
    assert all(start.utcoffset() == timedelta(0) for start in starts)
    assert all((start.weekday(), start.hour, start.minute) == (0, 0, 0) for start in starts)
    assert starts == sorted(starts)


async def test_concurrent_tests_of_one_dream_each_get_their_own_snapshot(domain_api: Api) -> None:
    db: Prisma = domain_api.services.db
    dream_id = await Seed(db).dream(ALICE)

    responses = await asyncio.gather(
        *(domain_api.query(RECORD, _record_input(dream_id, 50 + i), user="alice") for i in range(5))
    )

    counts = sorted(data_of(r)["recordAiTest"]["progress"]["testCount"] for r in responses)
    logs = await db.progresslog.find_many(where={"dreamId": dream_id})
    assert counts == [1, 2, 3, 4, 5]
    assert sorted(log.testCount for log in logs) == [1, 2, 3, 4, 5]


async def test_tests_are_recorded_by_the_owner_on_active_dreams_only(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    public = await seed.dream(ALICE, public=True)
    archived = await seed.dream(ALICE, status=DreamStatus.ARCHIVED)

    by_bob = errors_of(await domain_api.query(RECORD, _record_input(public, 10), user="bob"))
    on_archived = errors_of(
        await domain_api.query(RECORD, _record_input(archived, 10), user="alice")
    )

    assert by_bob[0]["extensions"] == {"code": "FORBIDDEN"}
    assert on_archived[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "dreamId"}
    assert await domain_api.services.db.aitest.count() == 0
