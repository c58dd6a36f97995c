"""The dashboard and the platform analytics: content, and freshness right after writes."""

from __future__ import annotations

from datetime import timedelta

from prisma.enums import AiProvider, DreamCategory, DreamStatus
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

DASHBOARD = """
{ dashboard { totalTests dreams { title testCount latestProgress { averageImpossibility } } } }
"""
COMPARISON = """
{ modelComparison(days: 7) {
    provider model displayName averageImpossibility averageConfidence testCount
} }
"""
CATEGORIES = "{ categoryPerformance { category dreamCount averageImpossibility totalTests } }"
RECORD = """
mutation ($id: ID!, $score: Float!) {
  recordAiTest(input: {dreamId: $id, provider: ANTHROPIC, model: "claude", confidence: 50,
                       impossibilityScore: $score}) { aiTest { id } }
}
"""
ARCHIVE = "mutation ($id: ID!) { archiveDream(id: $id) { dream { status } } }"


async def test_dashboard_lists_active_dreams_newest_first_and_follows_writes(
    domain_api: Api,
) -> None:
    seed = Seed(domain_api.services.db)
    older = await seed.dream(ALICE, "Older", age=timedelta(days=2))
    await seed.dream(ALICE, "Newer", age=timedelta(days=1))
    await seed.dream(ALICE, "Gone", status=DreamStatus.ARCHIVED)
    await seed.dream(BOB, "Not mine", public=True)
    await seed.ai_tests(older, ALICE, [80, 60])
    await seed.progress(older, 70)

    before = data_of(await domain_api.query(DASHBOARD, user="alice"))
    await domain_api.query(RECORD, {"id": older, "score": 10}, user="alice")
    after_test = data_of(await domain_api.query(DASHBOARD, user="alice"))
    await domain_api.query(ARCHIVE, {"id": older}, user="alice")
    after_archive = data_of(await domain_api.query(DASHBOARD, user="alice"))

    assert before == {
        "dashboard": {
            "totalTests": 2,
            "dreams": [
                {"title": "Newer", "testCount": 0, "latestProgress": None},
                {
                    "title": "Older",
                    "testCount": 2,
                    "latestProgress": {"averageImpossibility": 70.0},
                },
            ],
        }
    }
    assert after_test["dashboard"]["totalTests"] == 3
    assert after_test["dashboard"]["dreams"][1]["latestProgress"] == {"averageImpossibility": 50.0}
    assert [d["title"] for d in after_archive["dashboard"]["dreams"]] == ["Newer"]


async def test_model_comparison_and_categories_include_a_new_test_at_once(
    domain_api: Api,
) -> None:
    seed = Seed(domain_api.services.db)
    await seed.ai_model(AiProvider.ANTHROPIC, "claude", "Claude")
    science = await seed.dream(ALICE, "Cure colds", category=DreamCategory.SCIENCE)
    await seed.ai_tests(science, ALICE, [90, 70])
    await seed.dream(BOB, "Untested", category=DreamCategory.CREATIVE)

    before = data_of(await domain_api.query(COMPARISON))
    categories_before = data_of(await domain_api.query(CATEGORIES))
    await domain_api.query(RECORD, {"id": science, "score": 20}, user="alice")
    after = data_of(await domain_api.query(COMPARISON))
    categories_after = data_of(await domain_api.query(CATEGORIES))

    assert before["modelComparison"] == [
        {
            "provider": "OPENAI",
            "model": "gpt-4o",
            "displayName": None,
            "averageImpossibility": 80.0,
            "averageConfidence": 80.0,
            "testCount": 2,
        }
    ]
    assert [
        (m["model"], m["displayName"], m["averageImpossibility"]) for m in after["modelComparison"]
    ] == [
        ("claude", "Claude", 20.0),
        ("gpt-4o", None, 80.0),
    ]
    assert categories_before["categoryPerformance"] == [
        {"category": "SCIENCE", "dreamCount": 1, "averageImpossibility": 80.0, "totalTests": 2}
    ]
    assert categories_after["categoryPerformance"] == [
        {"category": "SCIENCE", "dreamCount": 1, "averageImpossibility": 60.0, "totalTests": 3}
    ]


async def test_model_comparison_days_must_be_in_range(domain_api: Api) -> None:
    response = await domain_api.query("{ modelComparison(days: 0) { model } }")
    assert response.json()["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "field": "days",
    }


async def test_ai_models_lists_active_models(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    for name, active in (("b-model", True), ("a-model", True), ("old", False)):
        await seed.ai_model(AiProvider.OPENAI, name, name.upper(), active=active)

    active = data_of(await domain_api.query("{ aiModels { name displayName } }"))
    every = data_of(await domain_api.query("{ aiModels(activeOnly: false) { name } }"))

    assert active == {
        "aiModels": [
            {"name": "a-model", "displayName": "A-MODEL"},
            {"name": "b-model", "displayName": "B-MODEL"},
        ]
    }
    assert len(every["aiModels"]) == 3
