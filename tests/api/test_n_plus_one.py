"""N+1 guards: a page of 5 and a page of 50 run the same number of SQL statements.

Every relation and per-parent aggregate resolves through a per-request DataLoader whose batch is
one statement, so the count depends on the query's shape, never on the page size. Counted with
the client's query listener; the operation cache is bypassed and the viewer's token is already
authenticated, so only the operation's own statements are seen.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.settings import Execution, Settings
from orm.runtime.types import JsonValue
from prisma import Prisma
from prisma.enums import CollaboratorRole, DreamStatus
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, ROOT, Seed, StatementLog, data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These guards are about the resolvers' DataLoader batching; the compiled path answers
    the same queries in one statement (tests/compiled)."""
    return replace(settings, execution=Execution.RESOLVED)


DREAM_FIELDS = """
  id title owner { name } testCount bestScore
  latestProgress { averageImpossibility improvementTrend }
  aiTests(first: 5) { edges { node { impossibilityScore model } } pageInfo { hasNextPage } }
  decayChart(range: LAST_7_DAYS) { trend points { average count } }
"""
DASHBOARD = f"""
query ($first: Int!) {{ dashboard(first: $first) {{ totalTests dreams {{ {DREAM_FIELDS} }} }} }}
"""
DREAMS = f"""
query ($first: Int!) {{
  dreams(filter: {{mine: true}}, first: $first) {{ edges {{ node {{ {DREAM_FIELDS} }} }} }}
}}
"""
PROJECTS = """
query ($first: Int!) {
  projects(sort: POPULAR, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      name owner { name } fileCount messageCount collaboratorCount
      collaborators { role user { name } }
      messages(first: 2) { edges { node { content author { name } } } }
      files(first: 2) { edges { node { path } } pageInfo { hasNextPage } }
      viewerHasLiked
    } }
  }
}
"""


async def _statements(api: Api, query: str, first: int) -> tuple[int, JsonValue]:
    log = StatementLog()
    with log.watch(api.services.db):
        response = await api.query(
            query, {"first": first}, user="alice", extensions={"cache": False}
        )
    return log.count, data_of(response)


async def _seed_dreams(db: Prisma, count: int) -> None:
    seed = Seed(db)
    for i in range(count):
        dream_id = await seed.dream(ALICE, f"Dream {i}", public=i % 2 == 0)
        await seed.ai_tests(dream_id, ALICE, [90, 85, 80, 75, 70, 65])
        await seed.progress(dream_id, 77.5)
    await seed.dream(ALICE, "Archived", status=DreamStatus.ARCHIVED)


async def test_dashboard_statements_do_not_grow_with_the_page(domain_api: Api) -> None:
    await _seed_dreams(domain_api.services.db, 55)
    data_of(await domain_api.query("{ me { name } }", user="alice"))

    small, small_data = await _statements(domain_api, DASHBOARD, 5)
    large, large_data = await _statements(domain_api, DASHBOARD, 50)

    assert len(small_data["dashboard"]["dreams"]) == 5
    assert len(large_data["dashboard"]["dreams"]) == 50
    dream = large_data["dashboard"]["dreams"][0]
    assert dream["testCount"] == 6
    assert len(dream["aiTests"]["edges"]) == 5
    assert dream["aiTests"]["pageInfo"] == {"hasNextPage": True}
    assert sum(point["count"] for point in dream["decayChart"]["points"]) == 6
    # dreams; how many are active; their completed tests; latest progress; test stats; last
    # tests; decay charts; owners.
    assert small == large == 8


async def test_dream_list_statements_do_not_grow_with_the_page(domain_api: Api) -> None:
    await _seed_dreams(domain_api.services.db, 55)
    data_of(await domain_api.query("{ me { name } }", user="alice"))

    small, _ = await _statements(domain_api, DREAMS, 5)
    large, large_data = await _statements(domain_api, DREAMS, 50)

    assert len(large_data["dreams"]["edges"]) == 50
    assert small == large == 6


async def test_project_list_statements_do_not_grow_with_the_page(domain_api: Api) -> None:
    db: Prisma = domain_api.services.db
    seed = Seed(db)
    for i in range(55):
        owner, other = (ALICE, BOB) if i % 2 else (BOB, ALICE)
        project_id = await seed.project(owner, f"Project {i}", likes=i)
        await seed.collaborator(project_id, other, CollaboratorRole.EDITOR)
        await seed.collaborator(project_id, ROOT, CollaboratorRole.VIEWER)
        await seed.files(project_id, 3)
        await seed.messages(project_id, other, 4)
    data_of(await domain_api.query("{ me { name } }", user="alice"))

    small, small_data = await _statements(domain_api, PROJECTS, 5)
    large, large_data = await _statements(domain_api, PROJECTS, 50)

    assert len(small_data["projects"]["edges"]) == 5
    node = large_data["projects"]["edges"][0]["node"]
    assert node["name"] == "Project 54"
    assert (node["fileCount"], node["messageCount"], node["collaboratorCount"]) == (3, 4, 2)
    assert len(node["messages"]["edges"]) == 2
    assert node["files"] == {
        "edges": [{"node": {"path": "src/file0.ts"}}, {"node": {"path": "src/file1.ts"}}],
        "pageInfo": {"hasNextPage": True},
    }
    assert node["viewerHasLiked"] is False
    # projects; counts; collaborators; last messages; first files; the viewer's likes; users
    # twice (owners and authors in one batch, collaborators' users one level deeper in another).
    assert small == large == 8


async def test_a_cached_dashboard_answers_other_selections_without_sql(domain_api: Api) -> None:
    await _seed_dreams(domain_api.services.db, 6)
    data_of(await domain_api.query("{ me { name } }", user="alice"))
    warm = "query ($first: Int!) { dashboard(first: $first) { dreams { title } } }"
    other = """
    query ($first: Int!) {
      dashboard(first: $first) {
        totalTests dreams { id testCount bestScore latestProgress { averageImpossibility } }
      }
    }
    """
    chart = """
    query ($id: ID!) {
      dream(id: $id) { decayChart(range: LAST_7_DAYS) { trend points { count } } }
    }
    """

    cold, _ = await _statements(domain_api, warm, 6)
    hit, data = await _statements(domain_api, other, 6)
    dream_id = data["dashboard"]["dreams"][0]["id"]
    variables = {"id": dream_id}
    await domain_api.query(chart, variables, user="alice", extensions={"cache": False})
    log = StatementLog()
    with log.watch(domain_api.services.db):
        response = await domain_api.query(
            chart, variables, user="alice", extensions={"cache": False}
        )
    charted = data_of(response)

    # dreams; their count; their completed tests; latest progress; test stats (cached together)
    assert cold == 5
    assert hit == 0
    assert data["dashboard"]["totalTests"] == 36
    assert data["dashboard"]["dreams"][0]["latestProgress"] == {"averageImpossibility": 77.5}
    assert log.count == 1  # the dream itself; the chart came from the cache
    assert sum(p["count"] for p in charted["dream"]["decayChart"]["points"]) == 6
