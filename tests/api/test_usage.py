"""Usage through the GraphQL API: recording, grouping, budgets and budget alerts."""

from __future__ import annotations

from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

RECORD = """
mutation ($input: RecordTokenUsageInput!) {
  recordTokenUsage(input: $input) { totalTokens cost }
}
"""
USAGE = """
query ($groupBy: UsageGroupBy!) {
  tokenUsage(groupBy: $groupBy) {
    key label requests promptTokens completionTokens totalTokens cost
  }
}
"""
BUDGET = "{ myBudget { budget spent tokenSpend testSpend remaining percentUsed } }"
ALERTS = (
    "query ($t: Float!) { budgetAlerts(threshold: $t) { spent percentUsed user { name email } } }"
)


def _usage(model: str, cost: str, project: str | None = None) -> dict[str, object]:
    return {
        "input": {
            "endpoint": "/api/chat",
            "model": model,
            "promptTokens": 100,
            "completionTokens": 50,
            "cost": cost,
            "projectId": project,
        }
    }


async def test_recorded_usage_is_grouped_by_model_and_project(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Site")
    recorded = await domain_api.query(RECORD, _usage("gpt-4o", "1.25", project), user="alice")
    await domain_api.query(RECORD, _usage("gpt-4o", "0.75"), user="alice")
    await domain_api.query(RECORD, _usage("claude", "2"), user="alice")
    await domain_api.query(RECORD, _usage("claude", "9"), user="bob")

    by_model = data_of(await domain_api.query(USAGE, {"groupBy": "MODEL"}, user="alice"))
    by_project = data_of(await domain_api.query(USAGE, {"groupBy": "PROJECT"}, user="alice"))

    # the ORM reads numeric values as Prisma does (1.25, not padded to the column scale)
    assert data_of(recorded) == {"recordTokenUsage": {"totalTokens": 150, "cost": "1.250000"}}
    assert by_model["tokenUsage"] == [
        {
            "key": "claude",
            "label": "claude",
            "requests": 1,
            "promptTokens": 100,
            "completionTokens": 50,
            "totalTokens": 150,
            "cost": "2.000000",
        },
        {
            "key": "gpt-4o",
            "label": "gpt-4o",
            "requests": 2,
            "promptTokens": 200,
            "completionTokens": 100,
            "totalTokens": 300,
            "cost": "2.000000",
        },
    ]
    assert [(row["key"], row["label"], row["cost"]) for row in by_project["tokenUsage"]] == [
        (project, "Site", "1.250000"),
        (None, "(no project)", "2.750000"),
    ]


async def test_usage_input_is_validated(domain_api: Api) -> None:
    negative = _usage("gpt-4o", "-1")
    anonymous = await domain_api.query(RECORD, _usage("gpt-4o", "1"))
    refused = await domain_api.query(RECORD, negative, user="alice")
    hidden = await domain_api.query(RECORD, _usage("gpt-4o", "1", "no-such-project"), user="alice")

    assert errors_of(anonymous)[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert errors_of(refused)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "cost"}
    assert errors_of(hidden)[0]["extensions"]["code"] == "NOT_FOUND"


async def test_my_budget_counts_usage_and_tests_right_after_a_write(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream = await seed.dream(ALICE)
    await seed.ai_tests(dream, ALICE, [50, 40], days_apart=0)
    before = data_of(await domain_api.query(BUDGET, user="alice"))

    await domain_api.query(RECORD, _usage("gpt-4o", "14.98"), user="alice")
    after = data_of(await domain_api.query(BUDGET, user="alice"))

    assert before["myBudget"]["spent"] == "0.020000"
    assert after["myBudget"] == {
        "budget": "20.00",
        "spent": "15.000000",
        "tokenSpend": "14.980000",
        "testSpend": "0.020000",
        "remaining": "5.000000",
        "percentUsed": 75.0,
    }


async def test_a_recorded_ai_test_counts_towards_the_budget_at_once(domain_api: Api) -> None:
    dream = await Seed(domain_api.services.db).dream(ALICE)
    record = """
    mutation ($id: ID!) {
      recordAiTest(input: {dreamId: $id, provider: OPENAI, model: "o1", impossibilityScore: 50,
                           confidence: 50, cost: "1.5"}) { aiTest { cost } }
    }
    """
    before = data_of(await domain_api.query(BUDGET, user="alice"))
    data_of(await domain_api.query(record, {"id": dream}, user="alice"))
    after = data_of(await domain_api.query(BUDGET, user="alice"))

    assert before["myBudget"]["testSpend"] == "0.000000"
    assert after["myBudget"]["testSpend"] == "1.500000"


async def test_budget_alerts_list_users_over_the_threshold(domain_api: Api) -> None:
    await domain_api.query(RECORD, _usage("gpt-4o", "17"), user="alice")
    await domain_api.query(RECORD, _usage("gpt-4o", "5"), user="bob")

    at_80 = data_of(await domain_api.query(ALERTS, {"t": 80}, user="root"))
    at_20 = data_of(await domain_api.query(ALERTS, {"t": 20}, user="root"))

    assert at_80["budgetAlerts"] == [
        {
            "spent": "17.000000",
            "percentUsed": 85.0,
            "user": {"name": "Alice", "email": "alice@example.com"},
        }
    ]
    assert [a["user"]["name"] for a in at_20["budgetAlerts"]] == ["Alice", "Bob"]
