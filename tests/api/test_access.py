"""Who sees and changes what: anonymous, owner, another user, collaborators, administrators.

Private data never leaks: for anyone but its owner (and a project's collaborators) a private
dream or project reads exactly like one that does not exist.
"""

from __future__ import annotations

import httpx

from orm.runtime.types import JsonValue
from prisma.enums import CollaboratorRole, Visibility
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

DREAM = "query ($id: ID!) { dream(id: $id) { id title } }"
DREAM_TITLES = "{ dreams { edges { node { title } } } }"
PROJECT = "query ($id: ID!) { project(id: $id) { name collaborators { role user { name } } } }"
DISCOVERY = "{ projects(sort: RECENT) { edges { node { name } } } }"
MY_PROJECTS = "{ projects(filter: {mine: true}, sort: RECENT) { edges { node { name } } } }"
UPDATE_DREAM = """
mutation ($id: ID!) { updateDream(id: $id, input: {title: "Mine now"}) { dream { title } } }
"""
ADD_FILE = """
mutation ($id: ID!) {
  addProjectFile(input: {projectId: $id, path: "a.ts", content: "x", language: "ts"}) {
    file { path size }
  }
}
"""


def _codes(errors: list[JsonValue]) -> list[str]:
    return [error["extensions"]["code"] for error in errors]


async def _dreams(api: Api) -> tuple[str, str]:
    seed = Seed(api.services.db)
    private = await seed.dream(ALICE, "Private wish")
    public = await seed.dream(ALICE, "Public wish", public=True)
    await seed.dream(BOB, "Bob's secret")
    return private, public


async def test_private_dream_reads_as_missing_for_everyone_but_its_owner(domain_api: Api) -> None:
    private, _ = await _dreams(domain_api)

    for user in (None, "bob", "root"):
        response = await domain_api.query(DREAM, {"id": private}, user=user)
        assert data_of(response) == {"dream": None}, user
    owner = await domain_api.query(DREAM, {"id": private}, user="alice")
    assert data_of(owner) == {"dream": {"id": private, "title": "Private wish"}}


async def test_lists_show_public_dreams_and_the_viewers_own(domain_api: Api) -> None:
    await _dreams(domain_api)

    def titles(response: httpx.Response) -> set[str]:
        return {edge["node"]["title"] for edge in data_of(response)["dreams"]["edges"]}

    assert titles(await domain_api.query(DREAM_TITLES)) == {"Public wish"}
    assert titles(await domain_api.query(DREAM_TITLES, user="alice")) == {
        "Private wish",
        "Public wish",
    }
    assert titles(await domain_api.query(DREAM_TITLES, user="bob")) == {
        "Public wish",
        "Bob's secret",
    }


async def test_writes_to_others_dreams_are_refused_without_revealing_private_ones(
    domain_api: Api,
) -> None:
    private, public = await _dreams(domain_api)

    hidden = errors_of(await domain_api.query(UPDATE_DREAM, {"id": private}, user="bob"))
    visible = errors_of(await domain_api.query(UPDATE_DREAM, {"id": public}, user="bob"))
    anonymous = errors_of(await domain_api.query(UPDATE_DREAM, {"id": public}))

    assert _codes(hidden) == ["NOT_FOUND"]
    assert _codes(visible) == ["FORBIDDEN"]
    assert _codes(anonymous) == ["UNAUTHENTICATED"]
    missing = errors_of(await domain_api.query(UPDATE_DREAM, {"id": "nope"}, user="bob"))
    assert missing[0]["message"] == hidden[0]["message"].replace(private, "nope")


async def test_personal_views_need_a_signed_in_viewer(domain_api: Api) -> None:
    for query in (
        "{ dashboard { totalTests } }",
        "{ dreams(filter: {mine: true}) { edges { cursor } } }",
        "{ projects(filter: {mine: true}) { edges { cursor } } }",
        "{ myBudget { spent } }",
        "{ tokenUsage(groupBy: DAY) { key } }",
    ):
        assert _codes(errors_of(await domain_api.query(query))) == ["UNAUTHENTICATED"], query


async def test_private_projects_are_visible_to_owner_and_collaborators_only(
    domain_api: Api,
) -> None:
    seed = Seed(domain_api.services.db)
    secret = await seed.project(ALICE, "Secret", visibility=Visibility.PRIVATE)
    await seed.project(ALICE, "Unlisted", visibility=Visibility.UNLISTED)
    await seed.project(ALICE, "Open")
    await seed.collaborator(secret, BOB, CollaboratorRole.VIEWER)

    assert data_of(await domain_api.query(PROJECT, {"id": secret})) == {"project": None}
    assert data_of(await domain_api.query(PROJECT, {"id": secret}, user="root")) == {
        "project": None
    }
    as_bob = data_of(await domain_api.query(PROJECT, {"id": secret}, user="bob"))
    assert as_bob == {
        "project": {
            "name": "Secret",
            "collaborators": [{"role": "VIEWER", "user": {"name": "Bob"}}],
        }
    }
    discovery = data_of(await domain_api.query(DISCOVERY, user="bob"))
    assert [e["node"]["name"] for e in discovery["projects"]["edges"]] == ["Open"]
    mine = data_of(await domain_api.query(MY_PROJECTS, user="bob"))
    assert [e["node"]["name"] for e in mine["projects"]["edges"]] == ["Secret"]


async def test_project_roles_decide_who_may_add_files(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    secret = await seed.project(ALICE, "Secret", visibility=Visibility.PRIVATE)
    public = await seed.project(ALICE, "Open")
    await seed.collaborator(secret, BOB, CollaboratorRole.VIEWER)

    as_viewer = errors_of(await domain_api.query(ADD_FILE, {"id": secret}, user="bob"))
    not_member = errors_of(await domain_api.query(ADD_FILE, {"id": public}, user="bob"))
    assert _codes(as_viewer) == ["FORBIDDEN"]
    assert _codes(not_member) == ["FORBIDDEN"]

    await domain_api.services.db.projectcollaborator.update_many(
        where={"projectId": secret}, data={"role": CollaboratorRole.EDITOR}
    )
    as_editor = data_of(await domain_api.query(ADD_FILE, {"id": secret}, user="bob"))
    assert as_editor == {"addProjectFile": {"file": {"path": "a.ts", "size": 1}}}


async def test_budget_alerts_are_for_administrators_only(domain_api: Api) -> None:
    query = "{ budgetAlerts(threshold: 0) { spent user { name } } }"

    assert _codes(errors_of(await domain_api.query(query))) == ["UNAUTHENTICATED"]
    assert _codes(errors_of(await domain_api.query(query, user="alice"))) == ["FORBIDDEN"]
    assert data_of(await domain_api.query(query, user="root")) == {"budgetAlerts": []}


async def test_private_profile_fields_are_shown_to_the_user_only(domain_api: Api) -> None:
    dream = await Seed(domain_api.services.db).dream(ALICE, public=True)
    query = "query ($id: ID!) { dream(id: $id) { owner { name email plan } } }"

    as_bob = data_of(await domain_api.query(query, {"id": dream}, user="bob"))
    as_alice = data_of(await domain_api.query(query, {"id": dream}, user="alice"))

    assert as_bob == {"dream": {"owner": {"name": "Alice", "email": None, "plan": None}}}
    assert as_alice == {
        "dream": {"owner": {"name": "Alice", "email": "alice@example.com", "plan": "FREE"}}
    }
