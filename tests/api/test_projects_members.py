"""Projects: deleting them, managing collaborators, counting views, and `user(id)`.

Reads go through both caches as a client's would, so a mutation that invalidated the wrong tags
shows up as a stale answer here.
"""

from __future__ import annotations

import asyncio

import httpx

from orm.runtime.types import JsonValue
from prisma import Prisma
from prisma.enums import CollaboratorRole, Visibility
from resolvers.projects.views import viewer_key
from tests.api import domain_fixtures
from tests.api.conftest import Api, RunApi
from tests.api.domain_fixtures import ALICE, BOB, ROOT, Seed, StatementLog, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

ADD = """
mutation ($p: ID!, $u: ID!, $role: CollaboratorRole!) {
  addCollaborator(input: {projectId: $p, userId: $u, role: $role}) {
    collaborator { role user { name } } project { collaboratorCount }
  }
}
"""
UPDATE_ROLE = """
mutation ($p: ID!, $u: ID!, $role: CollaboratorRole!) {
  updateCollaboratorRole(input: {projectId: $p, userId: $u, role: $role}) {
    collaborator { role }
  }
}
"""
REMOVE = """
mutation ($p: ID!, $u: ID!) { removeCollaborator(projectId: $p, userId: $u) { project { id } } }
"""
MINE = "{ projects(filter: {mine: true}) { edges { node { name } } } }"
PROJECT = "query ($id: ID!) { project(id: $id) { name views collaborators { role } } }"
DELETE = "mutation ($id: ID!) { deleteProject(id: $id) { deletedId } }"
VIEW = "mutation ($id: ID!) { recordProjectView(id: $id) { counted project { views } } }"
TRENDING = "{ projects(sort: TRENDING) { edges { node { name views } } } }"


async def _names(api: Api, query: str, user: str | None) -> list[str]:
    data = data_of(await api.query(query, user=user))
    return [edge["node"]["name"] for edge in data["projects"]["edges"]]


async def test_a_collaborator_added_sees_the_private_project_and_leaves_it(
    domain_api: Api,
) -> None:
    project = await Seed(domain_api.services.db).project(
        ALICE, "Secret", visibility=Visibility.PRIVATE
    )
    assert await _names(domain_api, MINE, "bob") == []
    hidden = await domain_api.query(PROJECT, {"id": project}, user="bob")
    assert data_of(hidden) == {"project": None}

    added = data_of(
        await domain_api.query(ADD, {"p": project, "u": BOB, "role": "EDITOR"}, user="alice")
    )
    assert added["addCollaborator"] == {
        "collaborator": {"role": "EDITOR", "user": {"name": "Bob"}},
        "project": {"collaboratorCount": 1},
    }
    assert await _names(domain_api, MINE, "bob") == ["Secret"]
    seen = data_of(await domain_api.query(PROJECT, {"id": project}, user="bob"))
    assert seen["project"]["collaborators"] == [{"role": "EDITOR"}]

    left = data_of(await domain_api.query(REMOVE, {"p": project, "u": BOB}, user="bob"))
    assert left == {"removeCollaborator": {"project": None}}  # private: no longer visible
    assert await _names(domain_api, MINE, "bob") == []
    assert data_of(await domain_api.query(PROJECT, {"id": project}, user="bob")) == {
        "project": None
    }


async def test_roles_decide_who_manages_collaborators(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Shared")
    await seed.collaborator(project, BOB, CollaboratorRole.ADMIN)
    await seed.collaborator(project, ROOT, CollaboratorRole.EDITOR)

    def codes(response: httpx.Response) -> list[JsonValue]:
        return [error["extensions"]["code"] for error in errors_of(response)]

    # An ADMIN collaborator manages roles below ADMIN ...
    demoted = await domain_api.query(
        UPDATE_ROLE, {"p": project, "u": ROOT, "role": "VIEWER"}, user="bob"
    )
    assert data_of(demoted) == {"updateCollaboratorRole": {"collaborator": {"role": "VIEWER"}}}
    # ... but only the owner grants ADMIN, and an EDITOR or VIEWER manages nobody.
    promote: dict[str, object] = {"p": project, "u": ROOT, "role": "ADMIN"}
    assert codes(await domain_api.query(UPDATE_ROLE, promote, user="bob")) == ["FORBIDDEN"]
    assert codes(await domain_api.query(REMOVE, {"p": project, "u": BOB}, user="root")) == [
        "FORBIDDEN"
    ]
    owner = await domain_api.query(UPDATE_ROLE, promote, user="alice")
    assert data_of(owner) == {"updateCollaboratorRole": {"collaborator": {"role": "ADMIN"}}}
    # An ADMIN can't remove another ADMIN; the owner can.
    assert codes(await domain_api.query(REMOVE, {"p": project, "u": ROOT}, user="bob")) == [
        "FORBIDDEN"
    ]
    removed = await domain_api.query(REMOVE, {"p": project, "u": ROOT}, user="alice")
    assert data_of(removed) == {"removeCollaborator": {"project": {"id": project}}}
    roles = data_of(await domain_api.query(PROJECT, {"id": project}, user="alice"))
    assert roles["project"]["collaborators"] == [{"role": "ADMIN"}]


async def test_collaborator_input_mistakes_are_named(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Shared")
    await seed.collaborator(project, BOB, CollaboratorRole.VIEWER)

    def first_error(response: httpx.Response) -> JsonValue:
        return errors_of(response)[0]["extensions"]

    again: dict[str, object] = {"p": project, "u": BOB, "role": "EDITOR"}
    owner: dict[str, object] = {"p": project, "u": ALICE, "role": "EDITOR"}
    nobody: dict[str, object] = {"p": project, "u": "u_nobody", "role": "EDITOR"}
    assert first_error(await domain_api.query(ADD, again, user="alice")) == {
        "code": "VALIDATION_ERROR",
        "field": "userId",
    }
    assert first_error(await domain_api.query(ADD, owner, user="alice")) == {
        "code": "VALIDATION_ERROR",
        "field": "userId",
    }
    assert first_error(await domain_api.query(ADD, nobody, user="alice")) == {"code": "NOT_FOUND"}
    assert first_error(
        await domain_api.query(UPDATE_ROLE, {**nobody, "role": "VIEWER"}, user="alice")
    ) == {"code": "NOT_FOUND"}
    assert first_error(await domain_api.query(ADD, again)) == {"code": "UNAUTHENTICATED"}
    assert await domain_api.services.db.projectcollaborator.count() == 1


async def test_the_owner_deletes_a_project_and_every_list_forgets_it(domain_api: Api) -> None:
    db: Prisma = domain_api.services.db
    seed = Seed(db)
    project = await seed.project(ALICE, "Doomed", views=5)
    await seed.project(ALICE, "Kept", views=1)
    await seed.collaborator(project, BOB, CollaboratorRole.ADMIN)
    await seed.files(project, 2)
    await seed.messages(project, ALICE, 2)
    assert await _names(domain_api, TRENDING, None) == ["Doomed", "Kept"]
    assert await _names(domain_api, MINE, "bob") == ["Doomed"]

    (forbidden,) = errors_of(await domain_api.query(DELETE, {"id": project}, user="bob"))
    deleted = data_of(await domain_api.query(DELETE, {"id": project}, user="alice"))

    assert forbidden["extensions"] == {"code": "FORBIDDEN"}
    assert deleted == {"deleteProject": {"deletedId": project}}
    assert await _names(domain_api, TRENDING, None) == ["Kept"]
    assert await _names(domain_api, MINE, "bob") == []
    assert data_of(await domain_api.query(PROJECT, {"id": project})) == {"project": None}
    assert await db.projectfile.count() == 0
    assert await db.message.count() == 0


async def test_views_count_once_per_viewer_and_window_and_move_trending(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    quiet = await seed.project(ALICE, "Quiet", views=1)
    await seed.project(ALICE, "Busy", views=2)
    assert await _names(domain_api, TRENDING, None) == ["Busy", "Quiet"]

    first = data_of(await domain_api.query(VIEW, {"id": quiet}, user="bob"))
    again = data_of(await domain_api.query(VIEW, {"id": quiet}, user="bob"))
    other = data_of(await domain_api.query(VIEW, {"id": quiet}, user="root"))
    anonymous = data_of(await domain_api.query(VIEW, {"id": quiet}))
    anonymous_again = data_of(await domain_api.query(VIEW, {"id": quiet}))

    assert first == {"recordProjectView": {"counted": True, "project": {"views": 2}}}
    assert again == {"recordProjectView": {"counted": False, "project": {"views": 2}}}
    assert other["recordProjectView"] == {"counted": True, "project": {"views": 3}}
    assert anonymous["recordProjectView"] == {"counted": True, "project": {"views": 4}}
    assert anonymous_again["recordProjectView"]["counted"] is False
    project = data_of(await domain_api.query(PROJECT, {"id": quiet}))
    assert project["project"]["views"] == 4
    # Discovery pages are cached for a minute; a new page (or the next minute) shows the order.
    fresh = "{ projects(sort: TRENDING, first: 5) { edges { node { name views } } } }"
    assert await _names(domain_api, fresh, None) == ["Quiet", "Busy"]


async def test_a_viewer_counts_once_across_api_processes_even_at_once(
    domain_api: Api, run_api: RunApi, domain_database: str
) -> None:
    from api.schema import schema

    project = await Seed(domain_api.services.db).project(ALICE, "Raced")
    async with run_api(schema=schema, database_url=domain_database) as other:
        results = await asyncio.gather(
            *(api.query(VIEW, {"id": project}, user="bob") for api in [domain_api, other] * 4)
        )
    counted = [data_of(r)["recordProjectView"]["counted"] for r in results]
    assert counted.count(True) == 1
    stored = await domain_api.services.db.project.find_unique(where={"id": project})
    assert stored is not None
    assert stored.views == 1


async def test_private_projects_are_not_viewable_by_others(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(
        ALICE, "Mine", visibility=Visibility.PRIVATE
    )
    (error,) = errors_of(await domain_api.query(VIEW, {"id": project}, user="bob"))
    assert error["extensions"] == {"code": "NOT_FOUND"}
    own = data_of(await domain_api.query(VIEW, {"id": project}, user="alice"))
    assert own["recordProjectView"]["counted"] is True


def test_anonymous_viewers_are_keyed_by_a_hash_of_their_address() -> None:
    key = viewer_key(None, "203.0.113.7")
    assert key.startswith("ip:")
    assert "203.0.113.7" not in key
    assert key == viewer_key(None, "203.0.113.7") != viewer_key(None, "203.0.113.8")
    assert viewer_key("u_1", "203.0.113.7") == "user:u_1"


async def test_user_by_id_shows_the_public_profile(domain_api: Api) -> None:
    query = "query ($id: ID!) { user(id: $id) { id name email plan } }"
    public = data_of(await domain_api.query(query, {"id": BOB}, user="alice"))
    own = data_of(await domain_api.query(query, {"id": BOB}, user="bob"))
    admin = data_of(await domain_api.query(query, {"id": BOB}, user="root"))
    missing = data_of(await domain_api.query(query, {"id": "u_nobody"}))

    assert public == {"user": {"id": BOB, "name": "Bob", "email": None, "plan": None}}
    assert own["user"]["email"] == "bob@example.com"
    assert admin["user"]["email"] == "bob@example.com"
    assert missing == {"user": None}


async def test_users_by_id_are_batched(domain_api: Api) -> None:
    data_of(await domain_api.query("{ me { name } }", user="alice"))
    query = '{ a: user(id: "u_alice") { name } b: user(id: "u_bob") { name } '
    query += 'c: user(id: "u_root") { name } }'
    log = StatementLog()
    with log.watch(domain_api.services.db):
        data = data_of(await domain_api.query(query, user="alice", extensions={"cache": False}))
    assert data == {"a": {"name": "Alice"}, "b": {"name": "Bob"}, "c": {"name": "Root"}}
    assert log.count == 1
