"""Usage and analytics compiled: token usage, budgets, budget alerts, model comparison and
category performance answer the resolvers' bytes in one statement, refuse what they refuse,
and keep other users' private projects' names hidden."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.auth import hash_token
from tests.api.domain_fixtures import ALICE
from tests.compiled.conftest import VIEWERS, Paths
from tests.compiled.test_differential import first_difference

USAGE = """
query ($by: UsageGroupBy!, $from: DateTime, $to: DateTime) {
  tokenUsage(groupBy: $by, from: $from, to: $to) {
    __typename key label requests promptTokens completionTokens totalTokens cost
  }
}
"""
BUDGET = """
{ myBudget { __typename periodStart budget spent tokenSpend testSpend remaining percentUsed } }
"""
ALERTS = """
query ($t: Float!) {
  budgetAlerts(threshold: $t) {
    __typename budget spent percentUsed user { __typename id name email }
  }
}
"""
ANALYTICS = """
query ($days: Int!) {
  modelComparison(days: $days) {
    __typename provider model displayName averageImpossibility averageConfidence
    averageDurationMs testCount
  }
  categoryPerformance { __typename category dreamCount averageImpossibility totalTests }
}
"""
RANGES: list[dict[str, object]] = [
    {},
    {"from": "2020-01-01T00:00:00Z", "to": "2020-12-31T00:00:00Z"},
    {"from": "2026-11-20T10:00:00+05:30"},  # `to` defaults to now: maybe over 366 days
    {"to": "2099-01-01T00:00:00-08:00"},
    {"from": None, "to": None},
]
REFUSED_RANGES: list[dict[str, object]] = [
    {"to": "2026-01-05T00:00:00"},  # no offset
    {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
    {"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
    {"to": "0001-01-05T00:00:00Z"},
    {"from": "9999-12-31T00:00:00Z", "to": "9999-12-31T23:00:00-14:00"},
]


async def _same(paths: Paths, query: str, variables: dict[str, object], user: str | None) -> str:
    """The path that answered, after asserting both answered the same bytes."""
    compiled, resolved = await paths.both(query, variables, user=user)
    found = first_difference(compiled, resolved)
    assert found is None, (variables, user, found)
    return compiled.headers["x-execution"]


@pytest.mark.parametrize("grouping", ["DAY", "MODEL", "ENDPOINT", "PROJECT"])
async def test_token_usage_compiles_for_its_owner(paths: Paths, grouping: str) -> None:
    for user in VIEWERS:
        for window in RANGES:
            path = await _same(paths, USAGE, {"by": grouping, **window}, user)
            assert path == ("resolved" if user is None else "compiled"), (user, window)
        for window in REFUSED_RANGES:
            assert await _same(paths, USAGE, {"by": grouping, **window}, user) == "resolved"


async def test_usage_on_a_private_project_shows_no_name(paths: Paths) -> None:
    query = "{ tokenUsage(groupBy: PROJECT) { key label } }"
    compiled, _ = await paths.both(query, user="alice")
    labels = {row["key"]: row["label"] for row in compiled.json()["data"]["tokenUsage"]}
    open_, secret, shared = paths.world.projects
    assert labels == {
        None: "(no project)",
        open_: "Open",
        secret: "(private project)",
        shared: "Shared",
    }
    assert compiled.headers["x-execution"] == "compiled"


async def test_budget_and_alerts_compile_with_the_resolvers_bytes(paths: Paths) -> None:
    for user in VIEWERS:
        expected = "resolved" if user is None else "compiled"
        assert await _same(paths, BUDGET, {}, user) == expected, user
        for threshold in (0, 0.5, 50, 80, 100, 1000):
            expected = "compiled" if user == "root" else "resolved"
            assert await _same(paths, ALERTS, {"t": threshold}, user) == expected
        for threshold in (-1, 1000.01, 1e308):
            assert await _same(paths, ALERTS, {"t": threshold}, user) == "resolved"
    compiled, _ = await paths.both(ALERTS, {"t": 0}, user="root")
    alerts = compiled.json()["data"]["budgetAlerts"]
    assert [a["budget"] for a in alerts] == ["0.00", "3.33", "20.00"]  # bob's 0 first
    assert alerts[0]["percentUsed"] == 100.0


async def test_analytics_compile_for_everyone(paths: Paths) -> None:
    for user in VIEWERS:
        for days in (1, 7, 365):
            assert await _same(paths, ANALYTICS, {"days": days}, user) == "compiled"
        for days in (0, 366, -5):
            assert await _same(paths, ANALYTICS, {"days": days}, user) == "resolved"


async def test_a_compiled_usage_read_is_one_statement(paths: Paths) -> None:
    whole = (
        "query ($by: UsageGroupBy!) { tokenUsage(groupBy: $by) { key cost } "
        "myBudget { spent percentUsed } budgetAlerts(threshold: 10) { user { name } } "
        "modelComparison { model } categoryPerformance { category } }"
    )
    await paths.both(whole, {"by": "PROJECT"}, user="root")  # the viewer's token is known after
    compiled, resolved = await paths.both(whole, {"by": "PROJECT"}, user="root")
    assert compiled.content == resolved.content
    assert compiled.headers["x-execution"] == "compiled"
    assert compiled.headers["x-sql-statements"] == "1"
    assert int(resolved.headers["x-sql-statements"]) > 1


async def test_sums_beyond_graphql_int_are_the_resolvers_error(paths: Paths) -> None:
    """A sum over 2^31 - 1 fails the compiled statement; the resolvers answer their error
    (GraphQL's `Int` can't represent it: masked as unexpected, `data` null)."""
    db = paths.compiled.services.db
    await db.tokenusage.create_many(
        data=[
            {
                "userId": ALICE,
                "endpoint": "big",
                "model": "big",
                "promptTokens": 2**31 - 2,
                "completionTokens": 1,
                "totalTokens": 2**31 - 1,
                "cost": Decimal(1),
            }
            for _ in range(2)
        ]
    )
    query = "{ tokenUsage(groupBy: ENDPOINT) { key totalTokens } }"
    compiled, resolved = await paths.both(query, user="alice")
    assert compiled.content == resolved.content
    assert compiled.json()["data"] is None
    assert compiled.json()["errors"][0]["path"] == ["tokenUsage", 1, "totalTokens"]


async def test_a_budget_of_a_user_gone_since_sign_in_is_the_resolvers_error(paths: Paths) -> None:
    """The viewer's row deleted while their token is still known: no budget row, so the
    compiled statement fails and the resolvers answer their NOT_FOUND."""
    db = paths.compiled.services.db
    await db.execute_raw(
        "INSERT INTO users (id, email, name, password_hash, api_token_hash, updated_at) "
        "VALUES ('u_gone', 'gone@example.com', 'Gone', 'x', $1, now())",
        hash_token("gone-token"),
    )
    headers = {"Authorization": "Bearer gone-token"}
    body = {"query": "{ myBudget { spent } }"}
    try:
        for api in (paths.compiled, paths.resolved):  # the token is known from here on
            found = await api.client.post("/graphql", json=body, headers=headers)
            assert found.json() == {"data": {"myBudget": {"spent": "0.000000"}}}
    finally:
        await db.execute_raw("DELETE FROM users WHERE id = 'u_gone'")
    compiled, resolved = [
        await api.client.post("/graphql", json=body, headers=headers)
        for api in (paths.compiled, paths.resolved)
    ]
    assert compiled.content == resolved.content
    assert compiled.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


ALIASED = """
query {
  a: tokenUsage(groupBy: DAY) { key }
  b: tokenUsage(groupBy: PROJECT) { ...bucket }
  spend: myBudget { percentUsed __typename }
  recent: modelComparison(days: 1) { model }
  year: modelComparison(days: 365) { model testCount }
  alerts: budgetAlerts { user { ...user } percentUsed }
}
fragment bucket on UsageBucket { label key: cost }
fragment user on User { name }
"""


async def test_aliases_and_fragments_of_usage_compile(paths: Paths) -> None:
    for user in VIEWERS:
        expected = "compiled" if user == "root" else "resolved"
        assert await _same(paths, ALIASED, {}, user) == expected, user
