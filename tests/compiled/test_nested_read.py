"""The nested read (dreams with their tests) compiled: one statement, the resolvers' bytes."""

from __future__ import annotations

from tests.compiled.conftest import VIEWERS, Paths

QUERY = """
query Nested($first: Int) {
  me { id name email plan monthlyBudget createdAt }
  dreams(first: $first) {
    edges { cursor node { id title tags isPublic createdAt owner { name email }
      testCount bestScore
      latestProgress { averageImpossibility activeModels improvementTrend createdAt }
      aiTests(first: 5) {
        edges { cursor node { id model impossibilityScore cost status createdAt } }
        pageInfo { hasNextPage endCursor } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_nested_read_is_one_statement_with_the_resolvers_bytes(paths: Paths) -> None:
    for user in VIEWERS:
        compiled, resolved = await paths.both(QUERY, {"first": 3}, user=user)
        assert compiled.headers["x-execution"] == "compiled"
        assert resolved.headers["x-execution"] == "resolved"
        # one statement, plus the bearer token's lookup the first time a viewer is seen
        assert compiled.headers["x-sql-statements"] == ("1" if user is None else "2")
        again, _ = await paths.both(QUERY, {"first": 3}, user=user)
        assert again.headers["x-sql-statements"] == "1"
        a, b = compiled.content, resolved.content
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), None)
        assert a == b, (a[i - 200 : i + 100], b[i - 200 : i + 100]) if i is not None else (a, b)


DASHBOARD = """
query Dashboard($first: Int) {
  me { name plan }
  dashboard(first: $first) {
    __typename totalTests dreamCount
    dreams { id title testCount bestScore owner { name } latestProgress { averageImpossibility } }
  }
}
"""


async def test_dashboard_compiles_for_a_signed_in_viewer_only(paths: Paths) -> None:
    for user in VIEWERS:
        for first in (2, None, 0):
            compiled, resolved = await paths.both(DASHBOARD, {"first": first}, user=user)
            assert compiled.content == resolved.content, (user, first)
            expected = "compiled" if user is not None and first != 0 else "resolved"
            assert compiled.headers["x-execution"] == expected, (user, first)


MODELS = """
query ($all: Boolean!) {
  aiModels(activeOnly: $all) {
    __typename id provider name displayName maxTokens costPer1kTokens isActive capabilities
  }
}
"""


async def test_ai_models_compile(paths: Paths) -> None:
    for active_only in (True, False):
        compiled, resolved = await paths.both(MODELS, {"all": active_only})
        assert compiled.content == resolved.content
        assert compiled.headers["x-execution"] == "compiled"


async def test_metrics_count_both_paths(paths: Paths) -> None:
    await paths.both(QUERY, {"first": 1})
    compiled = (await paths.compiled.client.get("/metrics")).text
    resolved = (await paths.resolved.client.get("/metrics")).text
    assert 'graphql_executions_total{path="compiled"} 1' in compiled
    assert 'graphql_executions_total{path="resolved"} 1' in resolved
