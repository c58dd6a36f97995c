"""Paging through dreams and through one dream's tests."""

from __future__ import annotations

from datetime import timedelta

from orm.runtime.types import JsonValue
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, Seed, data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

DREAMS = """
query ($first: Int, $after: String) {
  dreams(filter: {mine: true}, sort: OLDEST, first: $first, after: $after) {
    edges { node { title } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
TESTS = """
query ($id: ID!, $after: String) {
  dream(id: $id) {
    aiTests(first: 4, after: $after) {
      edges { node { impossibilityScore } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def test_dream_pages_follow_the_sort_without_gaps(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    for i in range(7):
        await seed.dream(ALICE, f"D{i}", age=timedelta(hours=10 - i))

    titles: list[JsonValue] = []
    after = None
    for _ in range(4):
        page = data_of(await domain_api.query(DREAMS, {"first": 3, "after": after}, user="alice"))
        titles.extend(edge["node"]["title"] for edge in page["dreams"]["edges"])
        after = page["dreams"]["pageInfo"]["endCursor"]
        if not page["dreams"]["pageInfo"]["hasNextPage"]:
            break

    assert titles == [f"D{i}" for i in range(7)]


async def test_a_dreams_tests_page_from_newest_to_oldest(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream = await seed.dream(ALICE)
    await seed.ai_tests(dream, ALICE, [float(score) for score in range(10, 16)])

    first = data_of(await domain_api.query(TESTS, {"id": dream}, user="alice"))
    tests = first["dream"]["aiTests"]
    after = tests["pageInfo"]["endCursor"]
    second = data_of(await domain_api.query(TESTS, {"id": dream, "after": after}, user="alice"))
    rest = second["dream"]["aiTests"]

    assert [e["node"]["impossibilityScore"] for e in tests["edges"]] == [15.0, 14.0, 13.0, 12.0]
    assert tests["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["impossibilityScore"] for e in rest["edges"]] == [11.0, 10.0]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_dreams_filter_by_any_tag_in_any_case(domain_api: Api) -> None:
    query = """
    mutation ($title: String!, $tags: [String!]!) {
      createDream(input: {title: $title, originalPrompt: "p", tags: $tags}) { dream { id } }
    }
    """
    for title, tags in (("Music", ["Audio", "art"]), ("Code", ["dev"]), ("Poem", ["ART"])):
        data_of(await domain_api.query(query, {"title": title, "tags": tags}, user="alice"))
    tagged = """
    { dreams(filter: {mine: true, tags: ["art"]}, sort: OLDEST) { edges { node { title } } } }
    """

    found = data_of(await domain_api.query(tagged, user="alice"))

    assert [e["node"]["title"] for e in found["dreams"]["edges"]] == ["Music", "Poem"]
