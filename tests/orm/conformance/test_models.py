"""Model-based access (databases/tests/test_models.py): a subclass's `.prisma()` returns it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orm.runtime.registry import unregister
from tests.orm.conformance.generated.client import Prisma, register
from tests.orm.conformance.generated.client.models import User


class MyUser(User):
    @property
    def info(self) -> str:
        return f"{self.id}: {self.name}"


@pytest.fixture
def registered(client: Prisma) -> Iterator[Prisma]:
    unregister()
    register(client)
    yield client
    unregister()


async def test_subclass_prisma_returns_the_subclass(registered: Prisma) -> None:
    user = await MyUser.prisma().create(data={"name": "Robert"})
    assert isinstance(user, MyUser)
    assert user.info == f"{user.id}: Robert"
    found = await MyUser.prisma().find_unique(where={"id": user.id})
    assert isinstance(found, MyUser)
    many = await MyUser.prisma().find_many(include={"posts": True})
    assert [type(u) for u in many] == [MyUser]
    updated = await MyUser.prisma().update(where={"id": user.id}, data={"name": "Tegan"})
    assert isinstance(updated, MyUser)
    assert updated.info.endswith("Tegan")
    raw = await MyUser.prisma().query_first('SELECT * FROM "User" WHERE id = $1', user.id)
    assert isinstance(raw, MyUser)
    assert isinstance(await User.prisma().find_first(), User)
