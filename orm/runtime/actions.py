"""Per-model delegates (`db.user`): the runtime half of every generated `<Model>Actions`.

CONTRACT with the generator (do not change a signature without changing the templates):
a generated `UserActions(ModelActions[models.User])` defines the public, fully typed methods
(`find_many`, `create`, ...) with prisma-client-py's parameter names, and each forwards its
arguments unchanged to the protected method of the same name here (`_find_many`, `_create`, ...).
Inputs arrive as plain dicts (TypedDicts at type level); results are instances of `model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from orm.runtime.models import BaseModel

if TYPE_CHECKING:
    from orm.runtime.client import BaseClient, BatchBase

__all__ = ["BatchActions", "ModelActions"]

ModelT = TypeVar("ModelT", bound=BaseModel)

Args = Mapping[str, Any]
OrderArg = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class ModelActions(Generic[ModelT]):
    """Executes one model's actions on `client` and returns instances of `model`."""

    __slots__ = ("_client", "_model")

    def __init__(self, client: BaseClient, model: type[ModelT]) -> None:
        self._client = client
        self._model = model

    async def _create(self, data: Args, include: Args | None = None) -> ModelT:
        raise NotImplementedError

    async def _create_many(self, data: Sequence[Args], *, skip_duplicates: bool = False) -> int:
        raise NotImplementedError

    async def _find_unique(self, where: Args, include: Args | None = None) -> ModelT | None:
        raise NotImplementedError

    async def _find_unique_or_raise(self, where: Args, include: Args | None = None) -> ModelT:
        raise NotImplementedError

    async def _find_first(
        self,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        distinct: Sequence[str] | None = None,
    ) -> ModelT | None:
        raise NotImplementedError

    async def _find_first_or_raise(
        self,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        distinct: Sequence[str] | None = None,
    ) -> ModelT:
        raise NotImplementedError

    async def _find_many(
        self,
        take: int | None = None,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        distinct: Sequence[str] | None = None,
    ) -> list[ModelT]:
        raise NotImplementedError

    async def _update(self, data: Args, where: Args, include: Args | None = None) -> ModelT | None:
        raise NotImplementedError

    async def _update_many(self, data: Args, where: Args) -> int:
        raise NotImplementedError

    async def _upsert(self, where: Args, data: Args, include: Args | None = None) -> ModelT:
        """`data` is `{"create": {...}, "update": {...}}` as in prisma-client-py."""
        raise NotImplementedError

    async def _delete(self, where: Args, include: Args | None = None) -> ModelT | None:
        raise NotImplementedError

    async def _delete_many(self, where: Args | None = None) -> int:
        raise NotImplementedError

    async def _count(
        self,
        select: Args | None = None,
        take: int | None = None,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
    ) -> int | dict[str, int]:
        """An int, or with `select={"_all": True, "field": True}` a dict of counts per key."""
        raise NotImplementedError

    async def _group_by(
        self,
        by: Sequence[str],
        where: Args | None = None,
        take: int | None = None,
        skip: int | None = None,
        having: Args | None = None,
        order: OrderArg = None,
        count: bool | Args | None = None,
        avg: Args | None = None,
        sum: Args | None = None,  # noqa: A002 - prisma-client-py's name
        min: Args | None = None,  # noqa: A002
        max: Args | None = None,  # noqa: A002
    ) -> list[dict[str, Any]]:
        """Rows as dicts: the `by` fields plus `_count`, `_avg`, `_sum`, `_min`, `_max` dicts."""
        raise NotImplementedError


class BatchActions(Generic[ModelT]):
    """`batcher.user`: queues writes on `batch`; generated subclasses type the arguments.

    A generated `UserBatchActions(BatchActions[models.User])` defines `create`, `create_many`,
    `update`, `update_many`, `upsert`, `delete`, `delete_many` (returning None) and forwards each
    to `self._add("<action>", {<argument name>: <value>, ...})`.
    """

    __slots__ = ("_batch", "_model")

    def __init__(self, batch: BatchBase, model: type[ModelT]) -> None:
        self._batch = batch
        self._model = model

    def _add(self, action: str, args: Mapping[str, Any]) -> None:
        raise NotImplementedError
