"""Per-model delegates (`db.user`): the runtime half of every generated `<Model>Actions`.

CONTRACT with the generator (do not change a signature without changing the templates):
a generated `UserActions(ModelActions[models.User])` defines the public, fully typed methods
(`find_many`, `create`, ...) with prisma-client-py's parameter names, and each forwards its
arguments unchanged to the protected method of the same name here (`_find_many`, `_create`, ...).
Inputs arrive as plain dicts (TypedDicts at type level); results are instances of `model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from orm.runtime.errors import (
    FieldNotFoundError,
    RecordNotFoundError,
    UnknownRelationalFieldError,
)
from orm.runtime.extensions import HOOKED
from orm.runtime.models import BaseModel
from orm.runtime.modules import defer
from orm.runtime.query.omit import apply_omit, omitted
from orm.runtime.query.selection import parse_selection

if TYPE_CHECKING:
    from orm.runtime.batch import BatchCore
    from orm.runtime.core import ClientCore
    from orm.runtime.executor import Executor
    from orm.runtime.meta import SchemaMeta
    from orm.runtime.query import aggregate
    from orm.runtime.query.aggregate_all import aggregate_all
    from orm.runtime.query.join.read import JsonShape, Target, find_json
    from orm.runtime.query.read import FindArgs
    from orm.runtime.query.strategy import read_many, read_unique
    from orm.runtime.query.structure import ModelMeta
    from orm.runtime.query.write import ops, returning
else:  # the query compiler (and SQLAlchemy) load with the first query: see orm.runtime.modules
    defer(
        globals(),
        {
            "aggregate": "orm.runtime.query.aggregate",
            "aggregate_all": "orm.runtime.query.aggregate_all:aggregate_all",
            "find_json": "orm.runtime.query.join.read:find_json",
            "FindArgs": "orm.runtime.query.read:FindArgs",
            "read_many": "orm.runtime.query.strategy:read_many",
            "read_unique": "orm.runtime.query.strategy:read_unique",
            "ops": "orm.runtime.query.write.ops",
            "returning": "orm.runtime.query.write.returning",
        },
    )

__all__ = ["BatchActions", "ModelActions"]

ModelT = TypeVar("ModelT", bound=BaseModel)

Args = Mapping[str, Any]
OrderArg = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


def _check_fields(model: type[BaseModel], meta: ModelMeta) -> None:
    """A `bases` subclass or partial type declares only fields of its schema model: an unknown
    one is refused before any query, as the engine refuses it in prisma-client-py's selection."""
    for field in model.model_fields:
        if field not in meta.scalars and field not in meta.relations and field != "count_":
            raise FieldNotFoundError(
                meta.name,
                field,
                message=f"Field '{field}' not found in enclosing type '{meta.name}'",
            )


_NOTHING: frozenset[str] = frozenset()


class ModelActions(Generic[ModelT]):
    """Executes one model's actions on `client` and returns instances of `model`."""

    __slots__ = ("_client", "_hidden", "_model")

    def __init__(self, client: ClientCore, model: type[ModelT]) -> None:
        self._client = client
        self._model = model
        name = model.__prisma_model__
        meta = client._schema.models[name]  # pyright: ignore[reportPrivateUsage]
        self._hidden = frozenset(f for f in meta.scalars if f not in model.model_fields)
        """Scalars `model` lacks (a partial type, a `bases` subclass): never selected."""
        if self._hidden or "__prisma_model__" not in model.__dict__:
            _check_fields(model, meta)  # a partial type, a `bases` or user subclass
        extensions = client._extensions  # pyright: ignore[reportPrivateUsage]
        if extensions.hooks or name in extensions.result:
            for operation in HOOKED:  # generated subclasses have a __dict__ to hold these
                method = getattr(self, f"_{operation}")
                setattr(self, f"_{operation}", extensions.wrap(name, operation, method))

    def _omitted(self, omit: Args | None, include: Args | None = None) -> frozenset[str]:
        """Fields left out of this query's records: `omit` (and the client's), and those a
        partial type lacks. Checks `include` against a partial type's relations."""
        if omit is None and not self._hidden and not self._client._shared.omit:  # pyright: ignore[reportPrivateUsage]
            return _NOTHING  # the common case, without the calls below
        if include and self._hidden:
            for field in include:
                if field not in self._model.model_fields:
                    raise UnknownRelationalFieldError(self._model.__name__, field)
        names = omitted(self._client, self._model.__prisma_model__, omit)
        return names | self._hidden if self._hidden else names

    def _one(self, found: BaseModel | None, omit: frozenset[str] = frozenset()) -> ModelT | None:
        """`found` as `self._model`: a subclass's `.prisma()` (`class MyUser(User)`) returns
        instances of that subclass, as prisma-client-py does; a partial type keeps its own
        fields. Omitted fields read as None."""
        if found is None:
            return None
        if not omit and type(found) is self._model:
            return cast(ModelT, found)
        return self._all([found], omit)[0]

    def _all(self, found: list[BaseModel], omit: frozenset[str] = frozenset()) -> list[ModelT]:
        if omit:
            apply_omit(found, omit)
        if not found or type(found[0]) is self._model:
            return cast(list[ModelT], found)
        return [self._model.model_validate(dict(f.__dict__)) for f in found]

    async def _query_raw(self, query: str, args: Sequence[Any]) -> list[ModelT]:
        return await self._client._query_raw(query, args, self._model)  # pyright: ignore[reportPrivateUsage]

    async def _query_first(self, query: str, args: Sequence[Any]) -> ModelT | None:
        return await self._client._query_first(query, args, self._model)  # pyright: ignore[reportPrivateUsage]

    def _ctx(self) -> tuple[Executor, SchemaMeta, ModelMeta]:
        schema = self._client._schema  # pyright: ignore[reportPrivateUsage]
        executor = self._client._executor()  # pyright: ignore[reportPrivateUsage]
        return executor, schema, schema.models[self._model.__prisma_model__]

    async def _create(
        self, data: Args, include: Args | None = None, omit: Args | None = None
    ) -> ModelT:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        return cast(ModelT, self._one(await ops.create(ex, schema, model, data, include), names))

    async def _create_many(self, data: Sequence[Args], *, skip_duplicates: bool = False) -> int:
        ex, schema, model = self._ctx()
        return await ops.create_many(ex, schema, model, data, skip_duplicates=skip_duplicates)

    async def _create_many_and_return(
        self,
        data: Sequence[Args],
        *,
        skip_duplicates: bool = False,
        include: Args | None = None,
        omit: Args | None = None,
    ) -> list[ModelT]:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        found = await returning.create_many_and_return(
            ex, schema, model, data, skip_duplicates=skip_duplicates, include=include
        )
        return self._all(found, names)

    async def _update_many_and_return(
        self, data: Args, where: Args, include: Args | None = None, omit: Args | None = None
    ) -> list[ModelT]:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        found = await returning.update_many_and_return(
            ex, schema, model, data, where, include=include
        )
        return self._all(found, names)

    async def _find_unique(
        self,
        where: Args,
        include: Args | None = None,
        omit: Args | None = None,
        select: Args | None = None,
        relation_load_strategy: str | None = None,
    ) -> ModelT | None:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        found = await read_unique(
            ex,
            schema,
            where,
            model_name=model.name,
            include=include,
            select_=select,
            strategy=relation_load_strategy,
            omit=names,
        )
        return self._one(found, names)

    async def _find_unique_or_raise(
        self,
        where: Args,
        include: Args | None = None,
        omit: Args | None = None,
        select: Args | None = None,
        relation_load_strategy: str | None = None,
    ) -> ModelT:
        found = await self._find_unique(where, include, omit, select, relation_load_strategy)
        if found is None:
            raise RecordNotFoundError(
                f"No {self._model.__prisma_model__} record matches {dict(where)!r}.",
                model=self._model.__prisma_model__,
            )
        return found

    async def _find_first(
        self,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        distinct: Sequence[str] | None = None,
        omit: Args | None = None,
        select: Args | None = None,
        relation_load_strategy: str | None = None,
    ) -> ModelT | None:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        args = FindArgs(where, order, 1, skip, cursor, distinct, include, names)
        found = await read_many(
            ex,
            schema,
            args,
            model_name=model.name,
            select_=select,
            strategy=relation_load_strategy,
            action="findFirst",
        )
        return self._one(found[0], names) if found else None

    async def _find_first_or_raise(
        self,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        distinct: Sequence[str] | None = None,
        omit: Args | None = None,
        select: Args | None = None,
        relation_load_strategy: str | None = None,
    ) -> ModelT:
        found = await self._find_first(
            skip, where, cursor, include, order, distinct, omit, select, relation_load_strategy
        )
        if found is None:
            raise RecordNotFoundError(
                f"No {self._model.__prisma_model__} record matches the find_first filters.",
                model=self._model.__prisma_model__,
            )
        return found

    async def _find_many(
        self,
        take: int | None = None,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        distinct: Sequence[str] | None = None,
        omit: Args | None = None,
        select: Args | None = None,
        relation_load_strategy: str | None = None,
    ) -> list[ModelT]:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        args = FindArgs(where, order, take, skip, cursor, distinct, include, names)
        found = await read_many(
            ex,
            schema,
            args,
            model_name=model.name,
            select_=select,
            strategy=relation_load_strategy,
            action="findMany",
        )
        return self._all(found, names)

    async def _find_many_json(
        self,
        take: int | None = None,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        select: Args | None = None,
    ) -> str:
        """The records as a JSON array (text), built in one statement by PostgreSQL."""
        args = FindArgs(where, order, take, skip, cursor, None, None)
        return await self._json(args, select, include, "list")

    async def _find_first_json(
        self,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
        include: Args | None = None,
        order: OrderArg = None,
        select: Args | None = None,
    ) -> str:
        """The first record as a JSON object (text), or `null`."""
        args = FindArgs(where, order, 1, skip, cursor, None, None)
        return await self._json(args, select, include, "one")

    async def _find_unique_json(
        self, where: Args, include: Args | None = None, select: Args | None = None
    ) -> str:
        """The record matching a unique key as a JSON object (text), or `null`."""
        return await self._json(where, select, include, "one")

    async def _json(
        self, target: Target, select: Args | None, include: Args | None, shape: JsonShape
    ) -> str:
        ex, schema, model = self._ctx()
        node = parse_selection(schema, model, select, include, keyed=True)
        return await find_json(ex, schema, model, target, node, shape=shape)

    async def _update(
        self, data: Args, where: Args, include: Args | None = None, omit: Args | None = None
    ) -> ModelT | None:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        found = await ops.update_one_unique(ex, schema, model, data, where, include)
        return self._one(found, names)

    async def _update_many(self, data: Args, where: Args) -> int:
        ex, schema, model = self._ctx()
        return await ops.update_many(ex, schema, model, data, where)

    async def _upsert(
        self, where: Args, data: Args, include: Args | None = None, omit: Args | None = None
    ) -> ModelT:
        """`data` is `{"create": {...}, "update": {...}}` as in prisma-client-py."""
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        found = await ops.upsert(ex, schema, model, where, data, include)
        return cast(ModelT, self._one(found, names))

    async def _delete(
        self, where: Args, include: Args | None = None, omit: Args | None = None
    ) -> ModelT | None:
        names = self._omitted(omit, include)
        ex, schema, model = self._ctx()
        return self._one(await ops.delete_one(ex, schema, model, where, include), names)

    async def _delete_many(self, where: Args | None = None) -> int:
        ex, schema, model = self._ctx()
        return await ops.delete_many(ex, schema, model, where)

    async def _count(
        self,
        select: Args | None = None,
        take: int | None = None,
        skip: int | None = None,
        where: Args | None = None,
        cursor: Args | None = None,
    ) -> int | dict[str, int]:
        """An int, or with `select={"_all": True, "field": True}` a dict of counts per key."""
        ex, schema, model = self._ctx()
        return await aggregate.count(
            ex, schema, model, select_=select, take=take, skip=skip, where=where, cursor=cursor
        )

    async def _aggregate(
        self,
        count: bool | Args | None = None,
        avg: Args | None = None,
        sum: Args | None = None,
        min: Args | None = None,
        max: Args | None = None,
        where: Args | None = None,
        take: int | None = None,
        skip: int | None = None,
        cursor: Args | None = None,
        order: OrderArg = None,
    ) -> dict[str, Any]:
        """`{"_count": {...}, "_avg": {...}, ...}` for the aggregates asked for."""
        ex, schema, model = self._ctx()
        aggregates = {"_count": count, "_avg": avg, "_sum": sum, "_min": min, "_max": max}
        args = {"where": where, "take": take, "skip": skip, "cursor": cursor, "order": order}
        return await aggregate_all(ex, schema, model, aggregates, args)

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
        sum: Args | None = None,
        min: Args | None = None,
        max: Args | None = None,
    ) -> list[dict[str, Any]]:
        """Rows as dicts: the `by` fields plus `_count`, `_avg`, `_sum`, `_min`, `_max` dicts.

        `take` and `skip` need `order` (a TypeError otherwise, as in prisma-client-py)."""
        for name, value in (("take", take), ("skip", skip)):
            if value is not None and order is None:
                raise TypeError(
                    f"Missing argument: 'order' which is required when '{name}' is present"
                )
        ex, schema, model = self._ctx()
        aggregates = {"_count": count, "_avg": avg, "_sum": sum, "_min": min, "_max": max}
        args = {"where": where, "take": take, "skip": skip, "having": having, "order": order}
        return await aggregate.group_by(ex, schema, model, by, aggregates, args)


class BatchActions(Generic[ModelT]):
    """`batcher.user`: queues writes on `batch`; generated subclasses type the arguments.

    A generated `UserBatchActions(BatchActions[models.User])` defines `create`, `create_many`,
    `update`, `update_many`, `upsert`, `delete`, `delete_many` (returning None) and forwards each
    to `self._add("<action>", {<argument name>: <value>, ...})`.

    CONTRACT with `BatchBase`: `_add` calls `self._batch._queue(model_name, action, args)`;
    `BatchBase.commit` runs every queued action in one transaction, in order, through
    `orm.runtime.query.run_action(executor, schema, model_name, action, args)`.
    """

    __slots__ = ("_batch", "_model")

    def __init__(self, batch: BatchCore, model: type[ModelT]) -> None:
        self._batch = batch
        self._model = model

    def _add(self, action: str, args: Mapping[str, Any]) -> None:
        self._batch._queue(self._model.__prisma_model__, action, args)  # pyright: ignore[reportPrivateUsage]
