"""Review: every mutation is visible at once to the cached reads of OTHER viewers (anonymous,
another user) as well as the writer's, and a cached answer never crosses viewers."""

from __future__ import annotations

import asyncio

from orm.runtime.types import JsonValue
from prisma.enums import CollaboratorRole, Visibility
from tests.api import domain_fixtures
from tests.api.conftest import Api, RunApi
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

DREAM = """query ($id: ID!) { dream(id: $id) { title testCount bestScore
  latestProgress { testCount } decayChart { points { count } } } }"""
CREATE_DREAM = """mutation { createDream(input: {title: "New", originalPrompt: "p",
  isPublic: true}) { dream { id } } }"""
RECORD_AI_TEST = """mutation ($id: ID!) { recordAiTest(input: {dreamId: $id, provider: OPENAI,
  model: "gpt-4o", impossibilityScore: 40, confidence: 90}) { aiTest { id } } }"""
RENAME_PROJECT = """mutation ($id: ID!) { updateProject(id: $id, input: {name: "Site 2"}) {
  project { id } } }"""
ADD_PROJECT_FILE = """mutation ($id: ID!) { addProjectFile(input: {projectId: $id,
  path: "a.ts", content: "x", language: "ts"}) { file { id } } }"""
POST_MESSAGE = """mutation ($id: ID!) { postMessage(input: {projectId: $id, content: "hi"}) {
  message { id } } }"""
HIDE_PROJECT = """mutation ($id: ID!) { updateProject(id: $id, input: {visibility: PRIVATE}) {
  project { id } } }"""
RECORD_USAGE = """mutation { recordTokenUsage(input: {endpoint: "chat", model: "m",
  promptTokens: 5, completionTokens: 5, cost: "15"}) { id } }"""
RECORD_PROJECT_USAGE = """mutation ($p: ID!) { recordTokenUsage(input: {endpoint: "chat",
  model: "m", promptTokens: 1, completionTokens: 1, cost: "0.1", projectId: $p}) { id } }"""


async def _read(
    api: Api, query: str, variables: dict[str, object] | None = None, *, user: str | None = None
) -> JsonValue:
    """Read twice: the second answer must come from the operation cache, so a later read
    proves the write invalidated it (not merely that nothing was cached)."""
    await api.query(query, variables, user=user)
    cached = await api.query(query, variables, user=user)
    assert cached.headers["X-Cache"] == "HIT", query
    return data_of(cached)


async def _write(api: Api, mutation: str, variables: dict[str, object], user: str) -> JsonValue:
    return data_of(await api.query(mutation, variables, user=user))


async def test_dream_writes_reach_anonymous_and_other_users_cached_reads(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream = await seed.dream(ALICE, "Old title", public=True)
    listing = "{ dreams(sort: RECENT) { edges { node { title status } } } }"
    one = DREAM
    analytics = (
        "{ modelComparison(days: 30) { model testCount } categoryPerformance { totalTests } }"
    )
    for user in (None, "bob"):
        await _read(domain_api, listing, user=user)
        await _read(domain_api, one, {"id": dream}, user=user)
        await _read(domain_api, analytics, user=user)

    await _write(
        domain_api,
        CREATE_DREAM,
        {},
        "alice",
    )
    await _write(
        domain_api,
        'mutation ($id: ID!) { updateDream(id: $id, input: {title: "Renamed"}) { dream { id } } }',
        {"id": dream},
        "alice",
    )
    await _write(
        domain_api,
        RECORD_AI_TEST,
        {"id": dream},
        "alice",
    )

    for user in (None, "bob"):
        titles = data_of(await domain_api.query(listing, user=user))["dreams"]["edges"]
        assert [edge["node"]["title"] for edge in titles] == ["New", "Renamed"], user
        assert data_of(await domain_api.query(one, {"id": dream}, user=user)) == {
            "dream": {
                "title": "Renamed",
                "testCount": 1,
                "bestScore": 40.0,
                "latestProgress": {"testCount": 1},
                "decayChart": {"points": [{"count": 1}]},
            }
        }, user
        assert data_of(await domain_api.query(analytics, user=user)) == {
            "modelComparison": [{"model": "gpt-4o", "testCount": 1}],
            "categoryPerformance": [{"totalTests": 1}],
        }, user


async def test_archiving_and_hiding_a_dream_reach_every_cached_reader(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream = await seed.dream(ALICE, "Public", public=True)
    active = "{ dreams(filter: {status: ACTIVE}) { edges { node { title } } } }"
    dashboard = "{ dashboard { dreams { title } } }"
    one = "query ($id: ID!) { dream(id: $id) { title } }"
    await _read(domain_api, active)
    await _read(domain_api, one, {"id": dream}, user="bob")
    await _read(domain_api, dashboard, user="alice")

    await _write(
        domain_api,
        "mutation ($id: ID!) { archiveDream(id: $id) { dream { id } } }",
        {"id": dream},
        "alice",
    )

    assert data_of(await domain_api.query(active)) == {"dreams": {"edges": []}}
    assert data_of(await domain_api.query(dashboard, user="alice")) == {"dashboard": {"dreams": []}}

    await _write(
        domain_api,
        "mutation ($id: ID!) { updateDream(id: $id, input: {isPublic: false}) { dream { id } } }",
        {"id": dream},
        "alice",
    )

    assert data_of(await domain_api.query(one, {"id": dream}, user="bob")) == {"dream": None}


async def test_project_writes_reach_anonymous_and_other_users_cached_reads(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Site", likes=1)
    popular = "{ projects(sort: POPULAR) { edges { node { name likes fileCount messageCount } } } }"
    one = """query ($id: ID!) { project(id: $id) { name files { edges { node { path } } }
      messages { edges { node { content } } } } }"""
    for user in (None, "bob"):
        await _read(domain_api, popular, user=user)
        await _read(domain_api, one, {"id": project}, user=user)

    await _write(
        domain_api,
        'mutation { createProject(input: {name: "Fresh", visibility: PUBLIC}) { project { id } } }',
        {},
        "bob",
    )
    await _write(
        domain_api,
        RENAME_PROJECT,
        {"id": project},
        "alice",
    )
    await _write(
        domain_api,
        "mutation ($id: ID!) { likeProject(id: $id) { project { id } } }",
        {"id": project},
        "bob",
    )
    await _write(
        domain_api,
        ADD_PROJECT_FILE,
        {"id": project},
        "alice",
    )
    await _write(
        domain_api,
        POST_MESSAGE,
        {"id": project},
        "alice",
    )

    for user in (None, "bob"):
        assert data_of(await domain_api.query(popular, user=user)) == {
            "projects": {
                "edges": [
                    {"node": {"name": "Site 2", "likes": 2, "fileCount": 1, "messageCount": 1}},
                    {"node": {"name": "Fresh", "likes": 0, "fileCount": 0, "messageCount": 0}},
                ]
            }
        }, user
        assert data_of(await domain_api.query(one, {"id": project}, user=user)) == {
            "project": {
                "name": "Site 2",
                "files": {"edges": [{"node": {"path": "a.ts"}}]},
                "messages": {"edges": [{"node": {"content": "hi"}}]},
            }
        }, user

    await _write(
        domain_api,
        HIDE_PROJECT,
        {"id": project},
        "alice",
    )

    for user in (None, "bob"):
        assert data_of(await domain_api.query(one, {"id": project}, user=user)) == {"project": None}
        names = data_of(await domain_api.query(popular, user=user))["projects"]["edges"]
        assert [edge["node"]["name"] for edge in names] == ["Fresh"], user


async def test_usage_writes_reach_budgets_and_administrators_alerts(domain_api: Api) -> None:
    budget = "{ myBudget { spent } tokenUsage(groupBy: MODEL) { key totalTokens } }"
    alerts = "{ budgetAlerts(threshold: 50) { user { name } } }"
    await _read(domain_api, budget, user="alice")
    await _read(domain_api, alerts, user="root")

    record = RECORD_USAGE
    await _write(domain_api, record, {}, "alice")

    assert data_of(await domain_api.query(budget, user="alice")) == {
        "myBudget": {"spent": "15.000000"},
        "tokenUsage": [{"key": "m", "totalTokens": 10}],
    }
    assert data_of(await domain_api.query(alerts, user="root")) == {
        "budgetAlerts": [{"user": {"name": "Alice"}}]
    }


async def test_usage_by_project_shows_a_renamed_project_at_once(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Before")
    usage = "{ tokenUsage(groupBy: PROJECT) { label } }"
    record = RECORD_PROJECT_USAGE
    await _write(domain_api, record, {"p": project}, "alice")
    assert await _read(domain_api, usage, user="alice") == {"tokenUsage": [{"label": "Before"}]}

    rename = (
        'mutation ($id: ID!) { updateProject(id: $id, input: {name: "After"}) { project { id } } }'
    )
    await _write(domain_api, rename, {"id": project}, "alice")

    assert data_of(await domain_api.query(usage, user="alice")) == {
        "tokenUsage": [{"label": "After"}]
    }


async def test_one_document_answers_each_viewer_from_their_own_cache(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    await seed.dream(ALICE, "Alice's secret")
    project = await seed.project(ALICE, "Hidden", visibility=Visibility.PRIVATE)
    await seed.collaborator(project, BOB, CollaboratorRole.VIEWER)
    await seed.messages(project, ALICE, 1)
    await seed.files(project, 1)
    document = """query ($id: ID!) { me { name email } dreams { edges { node { title } } }
      project(id: $id) { name files { edges { node { path } } }
        messages { edges { node { content } } } } }"""
    owner = await _read(domain_api, document, {"id": project}, user="alice")
    assert owner["dreams"]["edges"] == [{"node": {"title": "Alice's secret"}}]

    anonymous = await domain_api.query(document, {"id": project})
    collaborator = await domain_api.query(document, {"id": project}, user="bob")
    stranger = await domain_api.query(document, {"id": project}, user="root")

    assert data_of(anonymous) == {"me": None, "dreams": {"edges": []}, "project": None}
    bob = data_of(collaborator)
    assert bob["me"] == {"name": "Bob", "email": "bob@example.com"}
    assert bob["dreams"] == {"edges": []}
    assert bob["project"]["files"] == {"edges": [{"node": {"path": "src/file0.ts"}}]}
    assert data_of(stranger)["project"] is None
    assert data_of(stranger)["dreams"] == {"edges": []}


async def test_a_read_after_a_write_does_not_join_a_computation_started_before_it(
    run_api: RunApi,
) -> None:
    document = '{ counter(name: "joined") slow: counter(name: "other", pauseMs: 400) }'
    async with run_api() as api:
        before = asyncio.create_task(api.query(document))
        await asyncio.sleep(0.1)  # `counter` has read 0; `slow` keeps the computation running
        bumped = await api.query('mutation { bump(name: "joined") }')
        assert bumped.json() == {"data": {"bump": 1}}

        after = await api.query(document)
        await before

    assert after.json()["data"]["counter"] == 1
