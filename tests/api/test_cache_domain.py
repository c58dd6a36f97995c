"""The operation cache on the domain schema: a read right after a write sees the write."""

from __future__ import annotations

from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

MY_DREAMS = "query MyDreams { dashboard(first: 10) { dreams { id title } } }"
CREATE = (
    "mutation Create($input: CreateDreamInput!) { createDream(input: $input) { dream { id } } }"
)
RENAME = (
    "mutation Rename($id: ID!, $title: String!) "
    "{ updateDream(id: $id, input: {title: $title}) { dream { id title } } }"
)


async def test_reads_are_cached_and_writes_invalidate_them(domain_api: Api) -> None:
    api = domain_api
    created = await api.query(
        CREATE, {"input": {"title": "Fly", "originalPrompt": "Teach me to fly"}}, user="alice"
    )
    dream_id = data_of(created)["createDream"]["dream"]["id"]

    first = await api.query(MY_DREAMS, user="alice")
    second = await api.query(MY_DREAMS, user="alice")
    assert data_of(first)["dashboard"]["dreams"] == [{"id": dream_id, "title": "Fly"}]
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert second.content == first.content

    data_of(await api.query(RENAME, {"id": dream_id, "title": "Soar"}, user="alice"))
    after = await api.query(MY_DREAMS, user="alice")
    assert after.headers["x-cache"] == "MISS"
    assert data_of(after)["dashboard"]["dreams"] == [{"id": dream_id, "title": "Soar"}]


async def test_another_viewer_never_gets_a_cached_private_answer(domain_api: Api) -> None:
    api = domain_api
    await api.query(
        CREATE, {"input": {"title": "Secret", "originalPrompt": "Private"}}, user="alice"
    )
    alice = await api.query(MY_DREAMS, user="alice")
    bob = await api.query(MY_DREAMS, user="bob")
    assert [d["title"] for d in data_of(alice)["dashboard"]["dreams"]] == ["Secret"]
    assert data_of(bob)["dashboard"]["dreams"] == []
    assert bob.headers["x-cache"] == "MISS"
