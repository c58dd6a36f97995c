"""A hand-made client for the engine tests: two Core tables and delegates, no generator needed."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String, Table, insert, update

from orm.runtime.actions import ModelActions
from orm.runtime.client import BaseClient, BatchBase
from orm.runtime.models import BaseModel
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "DDL",
    "Item",
    "ItemBatch",
    "ItemClient",
    "connected",
    "items",
    "tags",
]

metadata = MetaData()
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("qty", Integer),
    Column("meta", JSON),
)
tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id")),
    Column("label", String, nullable=False),
)

DDL = """
CREATE TABLE items (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    qty integer CHECK (qty >= 0),
    meta jsonb
);
CREATE TABLE tags (
    id serial PRIMARY KEY,
    item_id integer REFERENCES items (id),
    label text NOT NULL,
    UNIQUE (item_id, label)
);
"""

# What `SchemaNames` reads from a SchemaMeta: models with db_name and scalar columns; and what
# `connect()` reads: the datasource URLs the schema names (none: DATABASE_URL).
_SCHEMA = SimpleNamespace(
    datasource=None,
    models={
        "Item": SimpleNamespace(
            name="Item",
            db_name="items",
            scalars={
                "id": SimpleNamespace(name="id", column="id"),
                "name": SimpleNamespace(name="name", column="name"),
                "quantity": SimpleNamespace(name="quantity", column="qty"),
            },
        ),
        "Tag": SimpleNamespace(
            name="Tag",
            db_name="tags",
            scalars={
                "itemId": SimpleNamespace(name="itemId", column="item_id"),
                "label": SimpleNamespace(name="label", column="label"),
            },
        ),
    },
)


class Item(BaseModel):
    __prisma_model__ = "Item"

    id: int
    name: str
    quantity: int | None = None


class ItemActions(ModelActions[Item]):
    """Just enough of a delegate for batches: create and update by id."""

    async def _create(
        self, data: Mapping[str, JsonValue], include: object = None, omit: object = None
    ) -> Item:
        rows = await self._client._executor().fetch(  # pyright: ignore[reportPrivateUsage]
            insert(items).values(**data).returning(items.c.id, items.c.name, items.c.qty),
            model="Item",
            action="create",
        )
        row = rows[0]
        return Item(id=row["id"], name=row["name"], quantity=row["qty"])

    async def _update_many(
        self, data: Mapping[str, JsonValue], where: Mapping[str, JsonValue]
    ) -> int:
        stmt = update(items).where(items.c.name == where["name"]).values(**data)
        return await self._client._executor().execute(  # pyright: ignore[reportPrivateUsage]
            stmt, model="Item", action="update_many"
        )


class ItemBatch(BatchBase):
    def add(self, action: str, args: Mapping[str, JsonValue]) -> None:
        self._queue("Item", action, args)


class ItemClient(BaseClient):
    item: ItemActions

    def __init__(self, **options: JsonValue) -> None:
        super().__init__(schema=cast("SchemaMeta", _SCHEMA), **options)

    def _bind(self) -> None:
        self.item = ItemActions(self, Item)

    def batch_(self) -> ItemBatch:
        return ItemBatch(self)


@asynccontextmanager
async def connected(
    url: str, *, tables: bool = True, **options: JsonValue
) -> AsyncGenerator[ItemClient]:
    """A connected client on `url` (a fresh schema), with the tables created when `tables`."""
    options.setdefault("connection_limit", 2)
    client = ItemClient(datasource={"url": url}, **options)
    await client.connect()
    if tables:
        await client.execute_raw(DDL)
    try:
        yield client
    finally:
        await client.disconnect()
