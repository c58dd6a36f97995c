"""Cursor pagination: opaque cursors, stable pages across ties, page-size limits."""

from __future__ import annotations

from orm.runtime.types import JsonValue
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

PAGE = """
query ($sort: ProjectSort!, $first: Int, $after: String) {
  projects(sort: $sort, first: $first, after: $after) {
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
MESSAGES = """
query ($id: ID!, $first: Int, $after: String) {
  project(id: $id) {
    messages(first: $first, after: $after) {
      edges { node { content } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def _walk(api: Api, sort: str, first: int) -> list[JsonValue]:
    names: list[JsonValue] = []
    after = None
    while True:
        variables: dict[str, object] = {"sort": sort, "first": first, "after": after}
        page = data_of(await api.query(PAGE, variables))["projects"]
        names.extend(edge["node"]["name"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return names
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]


async def test_pages_cover_every_project_once_even_with_tied_sort_keys(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    for i in range(23):
        await seed.project(ALICE if i % 2 else BOB, f"P{i:02}", likes=i // 5)

    pages = await _walk(domain_api, "POPULAR", 4)
    whole = await _walk(domain_api, "POPULAR", 100)

    assert pages == whole
    assert sorted(pages) == [f"P{i:02}" for i in range(23)]
    likes_order = [int(str(name)[1:]) // 5 for name in pages]
    assert likes_order == sorted(likes_order, reverse=True)


async def test_messages_page_backwards_in_time(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Chat")
    await seed.messages(project, ALICE, 5)

    first = data_of(await domain_api.query(MESSAGES, {"id": project, "first": 3}))
    page = first["project"]["messages"]
    after = page["pageInfo"]["endCursor"]
    rest = data_of(await domain_api.query(MESSAGES, {"id": project, "first": 3, "after": after}))

    assert [e["node"]["content"] for e in page["edges"]] == ["message 4", "message 3", "message 2"]
    assert page["pageInfo"]["hasNextPage"] is True
    older = rest["project"]["messages"]
    assert [e["node"]["content"] for e in older["edges"]] == ["message 1", "message 0"]
    assert older["pageInfo"]["hasNextPage"] is False


async def test_bad_cursors_and_page_sizes_are_field_errors(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    for i in range(3):
        await seed.project(ALICE, f"P{i}", likes=i)
    popular = data_of(await domain_api.query(PAGE, {"sort": "POPULAR", "first": 1}))
    cursor = popular["projects"]["pageInfo"]["endCursor"]

    wrong_sort = await domain_api.query(PAGE, {"sort": "RECENT", "after": cursor})
    garbage = await domain_api.query(PAGE, {"sort": "POPULAR", "after": "not-a-cursor"})
    too_many = await domain_api.query(PAGE, {"sort": "POPULAR", "first": 101})
    too_few = await domain_api.query(PAGE, {"sort": "POPULAR", "first": 0})

    assert errors_of(wrong_sort)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "after"}
    assert "POPULAR" in errors_of(wrong_sort)[0]["message"]
    assert errors_of(garbage)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "after"}
    assert errors_of(too_many)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "first"}
    assert "between 1 and 100" in errors_of(too_many)[0]["message"]
    assert errors_of(too_few)[0]["extensions"]["field"] == "first"


FILES = """
query ($id: ID!, $first: Int, $after: String) {
  project(id: $id) {
    files(first: $first, after: $after) {
      edges { cursor node { path } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def test_files_page_by_path_and_refuse_other_lists_cursors(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    project = await seed.project(ALICE, "Code")
    await seed.files(project, 12)
    await seed.messages(project, ALICE, 2)
    paths: list[JsonValue] = []
    after = None
    while True:
        variables: dict[str, object] = {"id": project, "first": 5, "after": after}
        page = data_of(await domain_api.query(FILES, variables))["project"]["files"]
        paths.extend(edge["node"]["path"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    whole = data_of(await domain_api.query(FILES, {"id": project, "first": 100}))
    messages = data_of(await domain_api.query(MESSAGES, {"id": project, "first": 1}))
    message_cursor = messages["project"]["messages"]["pageInfo"]["endCursor"]

    wrong_list = await domain_api.query(FILES, {"id": project, "after": message_cursor})

    assert paths == [edge["node"]["path"] for edge in whole["project"]["files"]["edges"]]
    assert sorted(paths) == sorted(f"src/file{i}.ts" for i in range(12))
    assert errors_of(wrong_list)[0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "after"}
