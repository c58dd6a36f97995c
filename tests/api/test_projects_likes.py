"""Likes: once per user, taken back with unlikeProject, shown to the liker as viewerHasLiked."""

from __future__ import annotations

import asyncio

from prisma.enums import Visibility
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, BOB, Seed, data_of, errors_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

LIKE = "mutation ($id: ID!) { likeProject(id: $id) { project { likes viewerHasLiked } } }"
UNLIKE = "mutation ($id: ID!) { unlikeProject(id: $id) { project { likes viewerHasLiked } } }"
READ = "query ($id: ID!) { project(id: $id) { likes viewerHasLiked } }"


async def _likers(api: Api, project: str) -> list[str]:
    rows = await api.services.db.projectlike.find_many(where={"projectId": project})
    return sorted(row.userId for row in rows)


async def test_likes_count_once_per_user_and_show_to_the_liker(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Site")

    first = data_of(await domain_api.query(LIKE, {"id": project}, user="bob"))
    again = data_of(await domain_api.query(LIKE, {"id": project}, user="bob"))
    alice = data_of(await domain_api.query(LIKE, {"id": project}, user="alice"))

    assert first == {"likeProject": {"project": {"likes": 1, "viewerHasLiked": True}}}
    assert again == first
    assert alice == {"likeProject": {"project": {"likes": 2, "viewerHasLiked": True}}}
    assert await _likers(domain_api, project) == [ALICE, BOB]
    root = data_of(await domain_api.query(READ, {"id": project}, user="root"))
    anonymous = data_of(await domain_api.query(READ, {"id": project}))
    assert root == anonymous == {"project": {"likes": 2, "viewerHasLiked": False}}


async def test_concurrent_likes_by_one_user_count_once(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Site")

    responses = await asyncio.gather(
        *(domain_api.query(LIKE, {"id": project}, user="bob") for _ in range(5))
    )

    for response in responses:
        data_of(response)
    row = await domain_api.services.db.project.find_unique(where={"id": project})
    assert row is not None
    assert row.likes == 1
    assert await _likers(domain_api, project) == [BOB]


async def test_unlike_takes_back_only_the_viewers_own_like(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE, "Site", likes=3)
    data_of(await domain_api.query(LIKE, {"id": project}, user="bob"))

    unliked = data_of(await domain_api.query(UNLIKE, {"id": project}, user="bob"))
    again = data_of(await domain_api.query(UNLIKE, {"id": project}, user="bob"))
    stranger = data_of(await domain_api.query(UNLIKE, {"id": project}, user="alice"))

    assert unliked == {"unlikeProject": {"project": {"likes": 3, "viewerHasLiked": False}}}
    assert again == unliked
    assert stranger == unliked
    assert await _likers(domain_api, project) == []


async def test_likes_need_a_signed_in_viewer_who_can_see_the_project(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    open_project = await seed.project(ALICE, "Open")
    hidden = await seed.project(ALICE, "Hidden", visibility=Visibility.PRIVATE)

    anonymous = await domain_api.query(LIKE, {"id": open_project})
    stranger = await domain_api.query(UNLIKE, {"id": hidden}, user="bob")

    assert errors_of(anonymous)[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert errors_of(stranger)[0]["extensions"]["code"] == "NOT_FOUND"
    assert await _likers(domain_api, open_project) == []


async def test_deleting_a_user_or_project_deletes_their_likes(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    kept = await seed.project(BOB, "Kept")
    dropped = await seed.project(BOB, "Dropped")
    for project in (kept, dropped):
        data_of(await domain_api.query(LIKE, {"id": project}, user="alice"))
    db = domain_api.services.db
    await db.execute_raw(
        "INSERT INTO users (id, email, name, password_hash, updated_at) "
        "VALUES ('u_gone', 'gone@example.com', 'Gone', 'x', now())"
    )
    await db.projectlike.create(data={"projectId": kept, "userId": "u_gone"})

    await db.project.delete(where={"id": dropped})
    await db.execute_raw("DELETE FROM users WHERE id = 'u_gone'")

    assert await _likers(domain_api, kept) == [ALICE]
    assert await db.projectlike.count() == 1
