"""Query extensions, as Prisma's `$extends` offers them: hooks around every operation, and
computed result fields.

    async def timed(params: QueryParams, call: NextCall) -> object:
        started = time.perf_counter()
        try:
            return await call(params.args)          # run it (with args changed, if you like)
        finally:
            print(params.model, params.operation, time.perf_counter() - started)

    xdb = db.extend(
        query=timed,
        result={"User": {"display": lambda user: f"{user.name} <{user.email}>"}},
    )
    user = await xdb.user.find_first_or_raise()
    user.display  # computed on each record the query returns (getattr for type checkers)

`extend` returns a new client sharing the original's connection (`db` itself is unchanged, as
with Prisma); its transactions and batches run the hooks too. Hooks run in the order given,
the first outermost; a hook may change `args`, skip the call and answer itself, or retry.
Computed fields are set on the top-level records an operation returns.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from orm.runtime.models import BaseModel

__all__ = ["HOOKED", "Extensions", "NextCall", "QueryHook", "QueryParams", "ResultFields"]

HOOKED = (
    "create",
    "create_many",
    "create_many_and_return",
    "find_unique",
    "find_unique_or_raise",
    "find_first",
    "find_first_or_raise",
    "find_many",
    "update",
    "update_many",
    "update_many_and_return",
    "upsert",
    "delete",
    "delete_many",
    "count",
    "aggregate",
    "group_by",
)


@dataclass(frozen=True, slots=True)
class QueryParams:
    model: str
    """The schema's model name ("User")."""
    operation: str
    """prisma-client-py's method name ("find_many")."""
    args: Mapping[str, Any]
    """The call's arguments by name (None for those not given)."""


NextCall = Callable[[Mapping[str, Any]], Awaitable[Any]]
QueryHook = Callable[[QueryParams, NextCall], Awaitable[Any]]
ResultFields = Mapping[str, Mapping[str, Callable[[Any], Any]]]


@dataclass(frozen=True, slots=True)
class Extensions:
    hooks: tuple[QueryHook, ...] = ()
    result: ResultFields = field(default_factory=dict[str, Mapping[str, Callable[[Any], Any]]])

    def extended(self, query: QueryHook | None, result: ResultFields | None) -> Extensions:
        merged = {k: dict(v) for k, v in self.result.items()}
        for model, fields in (result or {}).items():
            merged.setdefault(model, {}).update(fields)
        return Extensions((*self.hooks, *((query,) if query else ())), merged)

    def wrap(self, model: str, operation: str, method: Callable[..., Awaitable[Any]]) -> Any:
        """`method` (a delegate's bound `_find_many`, ...) with the hooks and result fields."""
        names = _parameters(method)
        computed = self.result.get(model, {})
        hooks = self.hooks

        @functools.wraps(method)
        async def hooked(*args: Any, **kwargs: Any) -> Any:
            given = dict(zip(names, args, strict=False)) | kwargs

            async def innermost(call_args: Mapping[str, Any]) -> Any:
                return _compute(await method(**call_args), computed)

            call: NextCall = innermost
            for hook in reversed(hooks):
                call = functools.partial(_step, hook, QueryParams(model, operation, given), call)
            return await call(given)

        return hooked


async def _step(
    hook: QueryHook, params: QueryParams, call: NextCall, args: Mapping[str, Any]
) -> Any:
    return await hook(QueryParams(params.model, params.operation, dict(args)), call)


@functools.cache
def _signature(function: Callable[..., Any]) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def _parameters(method: Callable[..., Any]) -> tuple[str, ...]:
    return _signature(getattr(method, "__func__", method))


def _compute(found: object, computed: Mapping[str, Callable[[Any], Any]]) -> object:
    if not computed:
        return found
    shape: object = found
    records = cast(Sequence[object], shape) if isinstance(shape, list) else [shape]
    for record in records:
        if isinstance(record, BaseModel):
            for name, compute in computed.items():
                object.__setattr__(record, name, compute(record))
    return found
