"""Enums with `@@map` (the type's name) and `@map` (values): the client speaks member names, the
database stores the mapped values, in writes, filters, reads, includes and group_by.

Uses the generator's `extras` client (`tests/generator/schemas/extras.prisma`): `enum Level
{ LOW @map("low") ... @@map("level") }` on `Lamp.level` and `Lamp.levels`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, cast

import asyncpg
import pytest

from orm.runtime import errors
from tests.conftest import TEST_DATABASE_URL
from tests.generator.generated.extras import SCHEMA, Prisma
from tests.generator.generated.extras.enums import Level
from tests.generator.generated.extras.types import LampWhereInput
from tests.orm.query_support import ddl_statements


class _Connection(Protocol):
    async def execute(self, query: str) -> str: ...

    async def fetch(self, query: str) -> list[asyncpg.Record]: ...

    async def close(self) -> None: ...


_connect = cast(
    Callable[[str], Awaitable[_Connection]],
    asyncpg.connect,  # pyright: ignore[reportUnknownMemberType]
)


async def _stored(pg_schema: str, query: str) -> list[tuple[object, ...]]:
    conn = await _connect(TEST_DATABASE_URL)
    try:
        await conn.execute(f'SET search_path TO "{pg_schema}"')
        return [tuple(r.values()) for r in await conn.fetch(query)]
    finally:
        await conn.close()


@pytest.fixture
async def db(pg_schema: str, schema_url: str) -> AsyncIterator[Prisma]:
    conn = await _connect(TEST_DATABASE_URL)
    try:
        for statement in ddl_statements(SCHEMA.sqlalchemy_metadata(pg_schema)):
            await conn.execute(statement)
    finally:
        await conn.close()
    client = Prisma(datasource={"url": schema_url}, connection_limit=2)
    await client.connect()
    try:
        yield client
    finally:
        await client.disconnect()


@pytest.fixture
async def lamps(db: Prisma) -> Prisma:
    await db.lamp.create(data={"model": "a", "level": Level.LOW, "levels": [Level.LOW]})
    await db.lamp.create(data={"model": "b", "level": Level.MEDIUM, "levels": [Level.MEDIUM]})
    await db.lamp.create(
        data={"model": "c", "level": Level.HIGH, "levels": [Level.LOW, Level.HIGH]}
    )
    await db.lamp.create(data={"model": "d"})
    return db


async def models(db: Prisma, where: LampWhereInput) -> list[str]:
    return sorted(lamp.model for lamp in await db.lamp.find_many(where=where))


async def test_create_stores_mapped_values_in_the_mapped_type(db: Prisma, pg_schema: str) -> None:
    lamp = await db.lamp.create(
        data={"model": "x", "level": Level.HIGH, "levels": [Level.LOW, Level.HIGH]}
    )

    assert lamp.level is Level.HIGH
    assert lamp.levels == [Level.LOW, Level.HIGH]
    assert all(type(v) is Level for v in lamp.levels)
    assert await _stored(
        pg_schema, "SELECT level::text, levels::text[], pg_typeof(level)::text FROM lamps"
    ) == [("high", ["low", "high"], "level")]


async def test_reads_return_members(lamps: Prisma) -> None:
    found = await lamps.lamp.find_many(order={"model": "asc"})

    assert [lamp.level for lamp in found] == [Level.LOW, Level.MEDIUM, Level.HIGH, None]
    assert [lamp.levels for lamp in found] == [
        [Level.LOW],
        [Level.MEDIUM],
        [Level.LOW, Level.HIGH],
        [],
    ]
    assert type(found[0].level) is Level


async def test_scalar_filters_convert_members(lamps: Prisma) -> None:
    assert await models(lamps, {"level": Level.HIGH}) == ["c"]
    assert await models(lamps, {"level": "MEDIUM"}) == ["b"]  # pyright: ignore[reportArgumentType]
    assert await models(lamps, {"level": {"equals": Level.LOW}}) == ["a"]
    assert await models(lamps, {"level": {"in": [Level.LOW, Level.HIGH]}}) == ["a", "c"]
    assert await models(lamps, {"level": {"not_in": [Level.LOW]}}) == ["b", "c"]
    assert await models(lamps, {"level": {"not": Level.LOW}}) == ["b", "c"]
    assert await models(lamps, {"NOT": [{"level": Level.MEDIUM}]}) == [
        "a",
        "c",
    ]  # as SQL: NULL stays out


async def test_list_filters_convert_members(lamps: Prisma) -> None:
    assert await models(lamps, {"levels": {"has": Level.LOW}}) == ["a", "c"]
    assert await models(lamps, {"levels": {"has_some": [Level.MEDIUM, Level.HIGH]}}) == ["b", "c"]
    assert await models(lamps, {"levels": {"has_every": [Level.LOW, Level.HIGH]}}) == ["c"]
    assert await models(lamps, {"levels": {"equals": [Level.MEDIUM]}}) == ["b"]


async def test_order_follows_the_declared_values(lamps: Prisma) -> None:
    found = await lamps.lamp.find_many(where={"level": {"not": None}}, order={"level": "desc"})

    assert [lamp.model for lamp in found] == ["c", "b", "a"]


async def test_updates_and_upsert_send_mapped_values(lamps: Prisma, pg_schema: str) -> None:
    lamp = await lamps.lamp.find_first_or_raise(where={"model": "a"})

    updated = await lamps.lamp.update(
        where={"id": lamp.id}, data={"level": Level.HIGH, "levels": {"push": [Level.MEDIUM]}}
    )
    count = await lamps.lamp.update_many(where={"level": Level.MEDIUM}, data={"level": Level.LOW})
    upserted = await lamps.lamp.upsert(
        where={"id": lamp.id},
        data={"create": {"model": "z"}, "update": {"levels": {"set": [Level.HIGH]}}},
    )

    assert updated is not None
    assert (updated.level, updated.levels) == (Level.HIGH, [Level.LOW, Level.MEDIUM])
    assert count == 1
    assert upserted.levels == [Level.HIGH]
    assert await _stored(pg_schema, "SELECT model, level::text FROM lamps ORDER BY model") == [
        ("a", "high"),
        ("b", "low"),
        ("c", "high"),
        ("d", None),
    ]


async def test_included_records_and_group_by_return_members(lamps: Prisma) -> None:
    lamp = await lamps.lamp.find_first_or_raise(where={"model": "c"})
    await lamps.socket.create(data={"lamp": {"connect": {"id": lamp.id}}})

    socket = await lamps.socket.find_first_or_raise(include={"lamp": True})
    groups = await lamps.lamp.group_by(
        by=["level"], count=True, min={"level": True}, order={"level": "asc"}
    )

    assert socket.lamp is not None
    assert socket.lamp.level is Level.HIGH
    assert [(g.get("level"), g.get("_min", {}).get("level")) for g in groups] == [
        (Level.LOW, Level.LOW),
        (Level.MEDIUM, Level.MEDIUM),
        (Level.HIGH, Level.HIGH),
        (None, None),
    ]


async def test_a_stored_value_is_not_a_member_name(db: Prisma) -> None:
    with pytest.raises(errors.InputError, match=r"one of the Level values \(LOW, MEDIUM, HIGH\)"):
        await db.lamp.create(data={"model": "x", "level": "high"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match="Level values"):
        await db.lamp.find_many(where={"level": {"in": ["low"]}})  # pyright: ignore[reportArgumentType]
