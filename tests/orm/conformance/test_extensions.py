"""Query extensions (Prisma's `$extends`): hooks around every operation, computed fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from orm.runtime import NextCall, QueryParams
from tests.orm.conformance.generated import sync_client as sync
from tests.orm.conformance.generated.client import Prisma


async def test_hooks_wrap_every_operation_in_order(client: Prisma) -> None:
    seen: list[tuple[str, str, str]] = []

    def recorder(tag: str) -> Any:
        async def hook(params: QueryParams, call: NextCall) -> Any:
            seen.append((tag, params.model, params.operation))
            return await call(params.args)

        return hook

    xdb = client.extend(query=recorder("outer")).extend(query=recorder("inner"))
    await xdb.user.create({"name": "Robert"})
    assert await xdb.user.count() == 1
    assert seen == [
        ("outer", "User", "create"),
        ("inner", "User", "create"),
        ("outer", "User", "count"),
        ("inner", "User", "count"),
    ]
    seen.clear()
    await client.user.count()  # the original client is unchanged
    assert seen == []
    async with xdb.tx() as tx:
        await tx.user.find_many()
    async with xdb.batch_() as batcher:
        batcher.user.delete_many()
    assert [op for _, _, op in seen] == ["find_many", "find_many", "delete_many", "delete_many"]


async def test_a_hook_can_change_arguments_or_answer_itself(client: Prisma) -> None:
    async def soft_delete_filter(params: QueryParams, call: NextCall) -> Any:
        if params.operation == "find_many":
            where = dict(params.args.get("where") or {})
            where["email"] = {"not": None}
            return await call({**params.args, "where": where})
        if params.operation == "count":
            return -1
        return await call(params.args)

    xdb = client.extend(query=soft_delete_filter)
    await client.user.create({"name": "a", "email": "a@x.io"})
    await client.user.create({"name": "b"})
    assert [u.name for u in await xdb.user.find_many()] == ["a"]
    assert await xdb.user.count() == -1


async def test_computed_result_fields(client: Prisma) -> None:
    xdb = client.extend(result={"User": {"display": lambda u: f"{u.name} <{u.email or '-'}>"}})
    created = await xdb.user.create({"name": "Robert", "email": "r@x.io"})
    assert getattr(created, "display") == "Robert <r@x.io>"  # noqa: B009
    [found] = await xdb.user.find_many()
    assert getattr(found, "display") == "Robert <r@x.io>"  # noqa: B009
    assert found.model_dump()["name"] == "Robert"
    assert not hasattr(await client.user.find_first_or_raise(), "display")


def test_hooks_run_for_the_sync_client(sync_client: sync.Prisma) -> None:
    calls: list[Mapping[str, Any]] = []

    async def hook(params: QueryParams, call: NextCall) -> Any:
        calls.append(params.args)
        return await call(params.args)

    xdb = sync_client.extend(query=hook)
    xdb.user.create({"name": "x"})
    assert xdb.user.find_first(where={"name": "x"}) is not None
    assert [c.get("where") for c in calls] == [None, {"name": "x"}]


async def test_hook_errors_propagate(client: Prisma) -> None:
    async def refuse(params: QueryParams, call: NextCall) -> Any:
        raise PermissionError(f"{params.operation} refused")

    with pytest.raises(PermissionError, match="create refused"):
        await client.extend(query=refuse).user.create({"name": "x"})
    assert await client.user.count() == 0
