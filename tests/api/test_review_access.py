"""Review: paths to private data beyond the top-level fields (filters, cursors, nested users,
usage), and the role checks on project writes."""

from __future__ import annotations

import pytest

from prisma.enums import CollaboratorRole, Visibility
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

MINE_FIRST = """{ dreams(filter: {mine: true}, first: 1) {
  edges { node { title } } pageInfo { endCursor } } }"""
AFTER = """query ($a: String!) { dreams(first: 100, after: $a) { edges { node { title } } } }"""
OWNER_PROJECTS = """query ($o: ID!) { projects(filter: {ownerId: $o}, sort: RECENT) {
  edges { node { name } } } }"""
OWNER_DREAMS = """query ($o: ID!) { dreams(filter: {ownerId: $o}) { edges { node { title } } } }"""
SEARCH = """query ($s: String!) { projects(filter: {search: $s}, sort: RECENT) {
  edges { node { name } } } }"""


async def test_a_cursor_from_the_owners_list_shows_others_nothing_private(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    await seed.dream(ALICE, "Old private")
    await seed.dream(ALICE, "Public", public=True)
    await seed.dream(ALICE, "New private")
    cursor = data_of(await domain_api.query(MINE_FIRST, user="alice"))["dreams"]["pageInfo"]

    for user in (None, "bob"):
        page = data_of(await domain_api.query(AFTER, {"a": cursor["endCursor"]}, user=user))
        assert page == {"dreams": {"edges": [{"node": {"title": "Public"}}]}}, user


async def test_owner_filters_and_search_show_others_only_public_items(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    await seed.project(ALICE, "Open site")
    await seed.project(ALICE, "Secret site", visibility=Visibility.PRIVATE)
    await seed.project(ALICE, "Unlisted site", visibility=Visibility.UNLISTED)
    await seed.dream(ALICE, "Hidden")
    await seed.dream(ALICE, "Shown", public=True)

    for user in (None, "bob", "root"):
        projects = data_of(await domain_api.query(OWNER_PROJECTS, {"o": ALICE}, user=user))
        assert projects == {"projects": {"edges": [{"node": {"name": "Open site"}}]}}, user
        found = data_of(await domain_api.query(SEARCH, {"s": "site"}, user=user))
        assert found == projects, user
        dreams = data_of(await domain_api.query(OWNER_DREAMS, {"o": ALICE}, user=user))
        assert dreams == {"dreams": {"edges": [{"node": {"title": "Shown"}}]}}, user


async def test_collaborators_and_authors_show_no_private_profile_to_others(
    domain_api: Api,
) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Team site")
    await seed.collaborator(project, BOB, CollaboratorRole.EDITOR)
    await seed.messages(project, BOB, 1)
    query = """query ($id: ID!) { project(id: $id) { owner { email plan monthlyBudget }
      collaborators { user { email role } }
      messages { edges { node { author { email monthlyBudget } } } } } }"""

    anonymous = data_of(await domain_api.query(query, {"id": project}))
    admin = data_of(await domain_api.query(query, {"id": project}, user="root"))

    assert anonymous == {
        "project": {
            "owner": {"email": None, "plan": None, "monthlyBudget": None},
            "collaborators": [{"user": {"email": None, "role": None}}],
            "messages": {"edges": [{"node": {"author": {"email": None, "monthlyBudget": None}}}]},
        }
    }
    assert admin["project"]["collaborators"] == [
        {"user": {"email": "bob@example.com", "role": "USER"}}
    ]


async def test_usage_and_budget_are_the_viewers_own(domain_api: Api) -> None:
    record = """mutation { recordTokenUsage(input: {endpoint: "chat", model: "bob-model",
      promptTokens: 1, completionTokens: 1, cost: "3"}) { id } }"""
    data_of(await domain_api.query(record, user="bob"))

    alice = data_of(
        await domain_api.query(
            "{ tokenUsage(groupBy: MODEL) { key } myBudget { spent } }", user="alice"
        )
    )

    assert alice == {"tokenUsage": [], "myBudget": {"spent": "0.000000"}}


@pytest.mark.parametrize(
    "mutation",
    [
        'mutation ($id: ID!) { postMessage(input: {projectId: $id, content: "x"}) '
        "{ message { id } } }",
        'mutation ($id: ID!) { updateProject(id: $id, input: {name: "x"}) { project { id } } }',
        "mutation ($id: ID!) { updateProject(id: $id, input: {}) { project { name } } }",
        "mutation ($id: ID!) { updateProject(id: $id, input: {visibility: PUBLIC}) "
        "{ project { id } } }",
    ],
)
async def test_a_viewer_collaborator_may_not_write(domain_api: Api, mutation: str) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Private", visibility=Visibility.PRIVATE)
    await seed.collaborator(project, BOB, CollaboratorRole.VIEWER)

    response = await domain_api.query(mutation, {"id": project}, user="bob")

    assert [e["extensions"]["code"] for e in errors_of(response)] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    "mutation",
    [
        "mutation ($id: ID!) { likeProject(id: $id) { project { likes } } }",
        "mutation ($id: ID!) { updateProject(id: $id, input: {featured: true}) "
        "{ project { id } } }",
        'mutation ($id: ID!) { recordTokenUsage(input: {endpoint: "e", model: "m", '
        'promptTokens: 1, completionTokens: 1, cost: "1", projectId: $id}) { id } }',
    ],
)
async def test_writes_naming_a_private_project_reveal_nothing_to_strangers(
    domain_api: Api, mutation: str
) -> None:
    project = await Seed(domain_api.services.db).project(
        ALICE, "Private", visibility=Visibility.PRIVATE
    )

    response = await domain_api.query(mutation, {"id": project}, user="root")

    assert [e["extensions"]["code"] for e in errors_of(response)] == ["NOT_FOUND"]
    row = await domain_api.services.db.project.find_unique(where={"id": project})
    assert row is not None
    assert (row.likes, row.featured) == (0, False)


async def test_usage_by_project_hides_the_name_of_a_project_made_private(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Open")
    record = """mutation ($p: ID!) { recordTokenUsage(input: {endpoint: "chat", model: "m",
      promptTokens: 1, completionTokens: 1, cost: "1", projectId: $p}) { id } }"""
    hide = """mutation ($id: ID!) { updateProject(id: $id,
      input: {name: "Secret plan", visibility: PRIVATE}) { project { id } } }"""
    usage = "{ tokenUsage(groupBy: PROJECT) { key label } }"
    data_of(await domain_api.query(record, {"p": project}, user="bob"))
    data_of(await domain_api.query(record, {"p": project}, user="alice"))
    before = data_of(await domain_api.query(usage, user="bob"))
    assert before == {"tokenUsage": [{"key": project, "label": "Open"}]}

    data_of(await domain_api.query(hide, {"id": project}, user="alice"))

    bob = data_of(await domain_api.query(usage, user="bob"))
    alice = data_of(await domain_api.query(usage, user="alice"))
    assert bob == {"tokenUsage": [{"key": project, "label": "(private project)"}]}
    assert alice == {"tokenUsage": [{"key": project, "label": "Secret plan"}]}


async def test_a_user_likes_a_project_once(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Site")
    like = "mutation ($id: ID!) { a: likeProject(id: $id) { project { likes } } "
    like += "b: likeProject(id: $id) { project { likes } } }"

    liked = data_of(await domain_api.query(like, {"id": project}, user="bob"))

    assert liked["b"] == {"project": {"likes": 1}}
