"""Projects through the GraphQL API: discovery and its cache, writes, roles, messages."""

from __future__ import annotations

from prisma.enums import CollaboratorRole, Visibility
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

POPULAR = "{ projects(sort: POPULAR) { edges { node { name likes } } } }"
LIKE = "mutation ($id: ID!) { likeProject(id: $id) { project { likes } } }"
CREATE = """
mutation ($input: CreateProjectInput!) {
  createProject(input: $input) { project { id name visibility projectType owner { name } } }
}
"""
UPDATE = """
mutation ($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { project { name visibility } }
}
"""
POST = """
mutation ($id: ID!, $content: String!) {
  postMessage(input: {projectId: $id, content: $content}) {
    message { content role author { name } }
  }
}
"""
PROJECT = """
query ($id: ID!) {
  project(id: $id) {
    fileCount messageCount
    files { edges { node { path language size } } }
    messages(first: 2) { edges { node { content } } }
  }
}
"""


async def test_discovery_reflects_a_like_right_away(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    await seed.project(ALICE, "First", likes=1)
    second = await seed.project(ALICE, "Second", likes=1)
    await seed.project(ALICE, "Hidden", likes=50, visibility=Visibility.PRIVATE)

    before = data_of(await domain_api.query(POPULAR))
    liked = data_of(await domain_api.query(LIKE, {"id": second}, user="bob"))
    after = data_of(await domain_api.query(POPULAR))

    assert [e["node"]["name"] for e in before["projects"]["edges"]] == ["Second", "First"]
    assert liked == {"likeProject": {"project": {"likes": 2}}}
    assert [e["node"] for e in after["projects"]["edges"]] == [
        {"name": "Second", "likes": 2},
        {"name": "First", "likes": 1},
    ]


async def test_create_project_defaults_to_private_and_validates(domain_api: Api) -> None:
    created = data_of(
        await domain_api.query(
            CREATE, {"input": {"name": "App", "projectType": "Mobile"}}, user="alice"
        )
    )["createProject"]["project"]
    assert created["visibility"] == "PRIVATE"
    assert created["projectType"] == "mobile"
    assert created["owner"] == {"name": "Alice"}
    assert data_of(await domain_api.query(POPULAR)) == {"projects": {"edges": []}}

    (error,) = errors_of(
        await domain_api.query(
            CREATE, {"input": {"name": "App", "projectType": "web app!"}}, user="alice"
        )
    )
    assert error["extensions"] == {"code": "VALIDATION_ERROR", "field": "projectType"}


async def test_editors_edit_but_only_owners_change_visibility(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Draft", visibility=Visibility.PRIVATE)
    await seed.collaborator(project, BOB, CollaboratorRole.EDITOR)

    renamed = await domain_api.query(
        UPDATE, {"id": project, "input": {"name": "Final"}}, user="bob"
    )
    publish: dict[str, object] = {"id": project, "input": {"visibility": "PUBLIC"}}
    refused = await domain_api.query(UPDATE, publish, user="bob")
    published = await domain_api.query(UPDATE, publish, user="alice")

    assert data_of(renamed) == {
        "updateProject": {"project": {"name": "Final", "visibility": "PRIVATE"}}
    }
    assert errors_of(refused)[0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(published)["updateProject"]["project"]["visibility"] == "PUBLIC"
    discovery = data_of(await domain_api.query(POPULAR))
    assert [e["node"]["name"] for e in discovery["projects"]["edges"]] == ["Final"]


async def test_posted_messages_and_files_show_in_the_project_at_once(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Chat")
    await seed.files(project, 2)
    before = data_of(await domain_api.query(PROJECT, {"id": project}, user="alice"))

    posted = await domain_api.query(POST, {"id": project, "content": "Hello"}, user="alice")
    after = data_of(await domain_api.query(PROJECT, {"id": project}, user="alice"))

    assert before["project"]["messageCount"] == 0
    assert data_of(posted) == {
        "postMessage": {
            "message": {"content": "Hello", "role": "USER", "author": {"name": "Alice"}}
        }
    }
    assert after["project"]["messageCount"] == 1
    assert after["project"]["messages"] == {"edges": [{"node": {"content": "Hello"}}]}
    assert [edge["node"] for edge in after["project"]["files"]["edges"]] == [
        {"path": "src/file0.ts", "language": "typescript", "size": 9},
        {"path": "src/file1.ts", "language": "typescript", "size": 9},
    ]


async def test_file_paths_are_unique_per_project(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Code")
    add = """
    mutation ($id: ID!, $path: String!) {
      addProjectFile(input: {projectId: $id, path: $path, content: "x", language: "TS"}) {
        file { path language }
      }
    }
    """
    first = await domain_api.query(add, {"id": project, "path": "src/a.ts"}, user="alice")
    again = await domain_api.query(add, {"id": project, "path": "src/a.ts"}, user="alice")
    escape = await domain_api.query(add, {"id": project, "path": "../etc/passwd"}, user="alice")

    assert data_of(first) == {"addProjectFile": {"file": {"path": "src/a.ts", "language": "ts"}}}
    assert errors_of(again)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "path"}
    assert "already exists" in errors_of(again)[0]["message"]
    assert errors_of(escape)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "path"}


async def test_discovery_searches_names_in_any_case(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    await seed.project(ALICE, "Todo App")
    await seed.project(BOB, "Weather dashboard")
    await seed.project(BOB, "Secret todos", visibility=Visibility.PRIVATE)
    query = '{ projects(filter: {search: "TODO"}) { edges { node { name } } } }'

    found = data_of(await domain_api.query(query, user="alice"))

    assert [e["node"]["name"] for e in found["projects"]["edges"]] == ["Todo App"]


async def test_administrators_feature_projects_for_the_featured_list(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(BOB, "Showcase")
    await seed.project(BOB, "Plain")
    feature: dict[str, object] = {"id": project, "input": {"featured": True}}
    featured_list = "{ projects(sort: FEATURED) { edges { node { name featured } } } }"

    refused = await domain_api.query(UPDATE, feature, user="bob")
    accepted = await domain_api.query(UPDATE, feature, user="root")
    listed = data_of(await domain_api.query(featured_list))

    assert errors_of(refused)[0]["extensions"]["code"] == "FORBIDDEN"
    assert data_of(accepted)["updateProject"]["project"]["name"] == "Showcase"
    assert listed["projects"]["edges"] == [{"node": {"name": "Showcase", "featured": True}}]


async def test_assistant_messages_have_no_author(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Chat")
    post = """
    mutation ($id: ID!) {
      postMessage(input: {projectId: $id, content: "Sure!", role: ASSISTANT, tokens: 12}) {
        message { role tokens author { name } }
      }
    }
    """
    posted = data_of(await domain_api.query(post, {"id": project}, user="alice"))
    assert posted == {
        "postMessage": {"message": {"role": "ASSISTANT", "tokens": 12, "author": None}}
    }


async def test_discovery_filters_by_project_type_in_any_case(domain_api: Api) -> None:
    for name, project_type in (("Phone app", "Mobile"), ("Site", "web")):
        variables: dict[str, object] = {
            "input": {"name": name, "projectType": project_type, "visibility": "PUBLIC"}
        }
        data_of(await domain_api.query(CREATE, variables, user="alice"))
    query = '{ projects(filter: {projectType: "MOBILE"}) { edges { node { name projectType } } } }'

    found = data_of(await domain_api.query(query))

    assert found["projects"]["edges"] == [{"node": {"name": "Phone app", "projectType": "mobile"}}]
