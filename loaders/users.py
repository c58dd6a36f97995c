"""User loaders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders.base import Loader
from loaders.batch import ordered, storable
from prisma.models import User

if TYPE_CHECKING:
    from prisma import Prisma

__all__ = ["UserByIdLoader"]


class UserByIdLoader(Loader[str, User | None]):
    def __init__(self, db: Prisma) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: list[str]) -> list[User | None]:
        wanted = [key for key in keys if storable(key)]  # one bad id must not fail the batch
        rows = await self._db.user.find_many(where={"id": {"in": wanted}}) if wanted else []
        return ordered(keys, rows, lambda row: row.id)
