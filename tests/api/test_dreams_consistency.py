"""Dreams read consistently: deleting, the dashboard's totals, test statuses, money and scores.

Each test reads through the operation and resolver caches (as clients do), so a write that
forgot to invalidate a tag shows up as a stale answer.
"""

from __future__ import annotations

from decimal import Decimal

import httpx

from prisma import Prisma, enums
from prisma.enums import AiProvider, DreamStatus
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, StatementLog, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

DELETE = "mutation ($id: ID!) { deleteDream(id: $id) { deletedId } }"
RECORD = """
mutation ($input: RecordAiTestInput!) {
  recordAiTest(input: $input) {
    aiTest { status cost impossibilityScore }
    progress { averageImpossibility testCount improvementTrend }
  }
}
"""
DASHBOARD = (
    "query ($first: Int) { dashboard(first: $first) { dreamCount totalTests dreams { id } } }"
)
DREAM_TESTS = """
query ($id: ID!, $status: TestStatus) {
  dream(id: $id) {
    testCount bestScore
    aiTests(status: $status) { edges { node { status impossibilityScore } } }
  }
}
"""
SPEND = "{ myBudget { testSpend spent } categoryPerformance { totalTests } }"


def _test(
    dream_id: str, score: float, status: str = "COMPLETED", cost: str = "0.25"
) -> dict[str, object]:
    """A `recordAiTest` input."""
    return {
        "dreamId": dream_id,
        "provider": "OPENAI",
        "model": "gpt-4o",
        "impossibilityScore": score,
        "confidence": 80,
        "cost": cost,
        "status": status,
    }


async def test_owner_deletes_a_dream_and_every_read_forgets_it(domain_api: Api) -> None:
    dream_id = await Seed(domain_api.services.db).dream(ALICE, "Gone", public=True)
    data_of(await domain_api.query(RECORD, {"input": _test(dream_id, 70)}, user="alice"))
    before = data_of(await domain_api.query(SPEND, user="alice"))
    listed = "{ dreams { edges { node { id } } } }"
    assert len(data_of(await domain_api.query(listed))["dreams"]["edges"]) == 1

    deleted = data_of(await domain_api.query(DELETE, {"id": dream_id}, user="alice"))

    assert deleted == {"deleteDream": {"deletedId": dream_id}}
    gone = data_of(
        await domain_api.query("query ($id: ID!) { dream(id: $id) { id } }", {"id": dream_id})
    )
    assert gone == {"dream": None}
    assert data_of(await domain_api.query(listed))["dreams"]["edges"] == []
    after = data_of(await domain_api.query(SPEND, user="alice"))
    assert before["myBudget"]["testSpend"] == "0.250000"
    assert Decimal(after["myBudget"]["testSpend"]) == 0
    assert after["categoryPerformance"] == []
    db: Prisma = domain_api.services.db
    assert await db.aitest.count(where={"dreamId": dream_id}) == 0
    assert await db.progresslog.count(where={"dreamId": dream_id}) == 0


async def test_only_the_owner_deletes_a_dream(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    public = await seed.dream(ALICE, "Shown", public=True)
    private = await seed.dream(ALICE, "Hidden")

    (forbidden,) = errors_of(await domain_api.query(DELETE, {"id": public}, user="bob"))
    (hidden,) = errors_of(await domain_api.query(DELETE, {"id": private}, user="bob"))
    (anonymous,) = errors_of(await domain_api.query(DELETE, {"id": public}))
    (missing,) = errors_of(await domain_api.query(DELETE, {"id": "no\u0000such"}, user="alice"))

    assert forbidden["extensions"] == {"code": "FORBIDDEN"}
    assert hidden["extensions"] == {"code": "NOT_FOUND"}  # private: as if it didn't exist
    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert missing["extensions"] == {"code": "NOT_FOUND"}
    assert await domain_api.services.db.dream.count() == 2


async def test_dashboard_totals_cover_every_active_dream_whatever_first_is(
    domain_api: Api,
) -> None:
    seed = Seed(domain_api.services.db)
    for i in range(3):
        dream_id = await seed.dream(ALICE, f"Active {i}")
        await seed.ai_tests(dream_id, ALICE, [80, 70])
    archived = await seed.dream(ALICE, "Put away", status=DreamStatus.ARCHIVED)
    await seed.ai_tests(archived, ALICE, [50])
    await seed.ai_tests(await seed.dream(BOB, "Not mine"), BOB, [10])

    one = data_of(await domain_api.query(DASHBOARD, {"first": 1}, user="alice"))["dashboard"]
    default = data_of(await domain_api.query(DASHBOARD, user="alice"))["dashboard"]

    assert len(one["dreams"]) == 1
    assert (one["dreamCount"], one["totalTests"]) == (3, 6)
    assert len(default["dreams"]) == 3
    assert (default["dreamCount"], default["totalTests"]) == (3, 6)


async def test_dashboard_first_is_optional_and_checked(domain_api: Api) -> None:
    (error,) = errors_of(await domain_api.query(DASHBOARD, {"first": 0}, user="alice"))
    assert error["extensions"] == {"code": "VALIDATION_ERROR", "field": "first"}
    response = await domain_api.query("{ dashboard { totalTests } }", user="alice")
    assert data_of(response) == {"dashboard": {"totalTests": 0}}


async def test_failed_and_pending_tests_keep_the_trend_and_count_nowhere(domain_api: Api) -> None:
    dream_id = await Seed(domain_api.services.db).dream(ALICE)

    async def query(variables: dict[str, object]) -> httpx.Response:
        return await domain_api.query(RECORD, variables, user="alice")

    data_of(await query({"input": _test(dream_id, 80)}))
    improved = data_of(await query({"input": _test(dream_id, 60)}))["recordAiTest"]
    failed = data_of(await query({"input": _test(dream_id, 100, "FAILED")}))["recordAiTest"]
    pending = data_of(await query({"input": _test(dream_id, 100, "PENDING", "0")}))["recordAiTest"]

    assert improved["progress"] == {
        "averageImpossibility": 70.0,
        "testCount": 2,
        "improvementTrend": -12.5,
    }
    assert failed["aiTest"]["status"] == "FAILED"
    assert failed["progress"] == improved["progress"]  # the trend is not reset to 0
    assert pending["progress"] == improved["progress"]
    assert await domain_api.services.db.progresslog.count(where={"dreamId": dream_id}) == 2
    every = data_of(await domain_api.query(DREAM_TESTS, {"id": dream_id}, user="alice"))["dream"]
    done = data_of(
        await domain_api.query(DREAM_TESTS, {"id": dream_id, "status": "COMPLETED"}, user="alice")
    )["dream"]
    assert (every["testCount"], every["bestScore"]) == (2, 60.0)
    assert [e["node"]["status"] for e in every["aiTests"]["edges"]] == [
        "PENDING",
        "FAILED",
        "COMPLETED",
        "COMPLETED",
    ]
    assert [e["node"] for e in done["aiTests"]["edges"]] == [
        {"status": "COMPLETED", "impossibilityScore": 60.0},
        {"status": "COMPLETED", "impossibilityScore": 80.0},
    ]


async def test_tests_filtered_by_status_page_with_cursors(domain_api: Api) -> None:
    db: Prisma = domain_api.services.db
    dream_id = await Seed(db).dream(ALICE)
    await db.aitest.create_many(
        data=[
            {
                "dreamId": dream_id,
                "userId": ALICE,
                "provider": AiProvider.OPENAI,
                "model": "gpt-4o",
                "impossibilityScore": Decimal(i),
                "confidence": Decimal(50),
                "reasoning": "",
                "durationMs": 1,
                "tokensUsed": 1,
                "cost": Decimal(0),
                "status": enums.TestStatus.FAILED if i % 2 else enums.TestStatus.COMPLETED,
            }
            for i in range(10)
        ]
    )
    page = """
    query ($id: ID!, $after: String) {
      dream(id: $id) {
        aiTests(first: 2, status: FAILED, after: $after) {
          edges { node { status } } pageInfo { hasNextPage endCursor }
        }
      }
    }
    """
    statuses: list[str] = []
    after = None
    for _ in range(5):
        tests = data_of(
            await domain_api.query(page, {"id": dream_id, "after": after}, user="alice")
        )["dream"]["aiTests"]
        statuses += [edge["node"]["status"] for edge in tests["edges"]]
        after = tests["pageInfo"]["endCursor"]
        if not tests["pageInfo"]["hasNextPage"]:
            break
    assert statuses == ["FAILED"] * 5


async def test_status_filtered_tests_are_batched_across_a_page(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    for i in range(12):
        await seed.ai_tests(await seed.dream(ALICE, f"Dream {i}"), ALICE, [90, 80])
    data_of(await domain_api.query("{ me { name } }", user="alice"))
    query = """
    query ($first: Int!) { dreams(filter: {mine: true}, first: $first) { edges { node {
      done: aiTests(first: 1, status: COMPLETED) { edges { node { impossibilityScore } } }
      failed: aiTests(first: 1, status: FAILED) { edges { node { impossibilityScore } } }
    } } } }
    """
    counts: list[int] = []
    for first in (2, 12):
        log = StatementLog()
        with log.watch(domain_api.services.db):
            data = data_of(
                await domain_api.query(
                    query, {"first": first}, user="alice", extensions={"cache": False}
                )
            )
        counts.append(log.count)
        assert len(data["dreams"]["edges"]) == first
    # the same for 2 dreams as for 12: one compiled statement, or on the resolvers
    # dreams; completed tests; failed tests
    assert counts[0] == counts[1] <= 3, counts


async def test_money_is_an_exact_decimal_string_and_scores_are_floats(domain_api: Api) -> None:
    dream_id = await Seed(domain_api.services.db).dream(ALICE)

    as_string = data_of(
        await domain_api.query(RECORD, {"input": _test(dream_id, 42.5, cost="0.1")}, user="alice")
    )
    as_number = data_of(
        await domain_api.query(
            RECORD,
            {"input": {**_test(dream_id, 40), "cost": 0.2}},
            user="alice",
        )
    )
    budget = data_of(await domain_api.query(SPEND, user="alice"))["myBudget"]

    assert as_string["recordAiTest"]["aiTest"] == {
        "status": "COMPLETED",
        "cost": "0.100000",
        "impossibilityScore": 42.5,
    }
    assert as_number["recordAiTest"]["aiTest"]["cost"] == "0.200000"
    assert budget["testSpend"] == "0.300000"  # exact: not 0.30000000000000004
    bad: dict[str, object] = {"input": {**_test(dream_id, 40), "cost": "a lot"}}
    assert errors_of(await domain_api.query(RECORD, bad, user="alice"))
    assert await domain_api.services.db.aitest.count(where={"dreamId": dream_id}) == 2
