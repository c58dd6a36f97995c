"""`query_raw`, `query_first`, `execute_raw`: positional `$n` parameters, typed rows, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orm.runtime import errors
from orm.runtime.fields import Json
from tests.orm.engine_helpers import Item, connected


async def test_query_raw_returns_dicts_with_json_values(schema_url: str) -> None:
    async with connected(schema_url, tables=False) as db:
        rows = await db.query_raw(
            "SELECT $1::int AS n, $2::numeric AS d, $3::timestamptz AS t, $4::text[] AS tags",
            7,
            Decimal("1.50"),
            datetime(2024, 1, 2, tzinfo=UTC),
            ["a", "b"],
        )
    assert rows == [{"n": 7, "d": 1.5, "t": "2024-01-02T00:00:00+00:00", "tags": ["a", "b"]}]


async def test_json_parameters_and_results(schema_url: str) -> None:
    async with connected(schema_url, tables=False) as db:
        row = await db.query_first(
            "SELECT $1::jsonb AS obj, $2::json AS string, $3::jsonb AS raw_text",
            {"a": [1, 2, {"b": None}]},
            Json("just a string"),
            '{"already": "json"}',
        )
    assert row == {
        "obj": {"a": [1, 2, {"b": None}]},
        "string": "just a string",
        "raw_text": {"already": "json"},
    }


async def test_execute_raw_returns_the_affected_row_count(schema_url: str) -> None:
    async with connected(schema_url) as db:
        inserted = await db.execute_raw(
            "INSERT INTO items (name, qty) VALUES ($1, 1), ($2, 2), ($3, 3)", "a", "b", "c"
        )
        updated = await db.execute_raw("UPDATE items SET qty = qty + 1 WHERE qty >= $1", 2)
        deleted = await db.execute_raw("DELETE FROM items WHERE name = $1", "nobody")
    assert (inserted, updated, deleted) == (3, 2, 0)


async def test_query_first_returns_none_without_rows(schema_url: str) -> None:
    async with connected(schema_url) as db:
        assert await db.query_first("SELECT * FROM items WHERE id = $1", 1) is None
        assert await db.query_first("SELECT * FROM items WHERE id = $1", 1, model=Item) is None


async def test_model_rows_are_validated_and_database_column_names_mapped(
    schema_url: str,
) -> None:
    async with connected(schema_url) as db:
        await db.execute_raw("INSERT INTO items (name, qty) VALUES ('lamp', 3), ('desk', NULL)")
        found = await db.query_raw("SELECT id, name, qty FROM items ORDER BY id", model=Item)
        first = await db.query_first(
            "SELECT id, name, qty AS quantity FROM items WHERE name = $1", "lamp", model=Item
        )
    assert found == [Item(id=1, name="lamp", quantity=3), Item(id=2, name="desk", quantity=None)]
    assert first == Item(id=1, name="lamp", quantity=3)


async def test_raw_query_errors_are_raw_query_errors_with_sqlstate(schema_url: str) -> None:
    async with connected(schema_url) as db:
        await db.execute_raw("INSERT INTO items (name) VALUES ('a')")
        with pytest.raises(errors.RawQueryError, match="Unique constraint") as unique:
            await db.execute_raw("INSERT INTO items (name) VALUES ('a')")
        with pytest.raises(errors.RawQueryError) as syntax:
            await db.query_raw("SELEC 1")
    assert unique.value.sqlstate == "23505"
    assert syntax.value.sqlstate == "42601"


async def test_raw_queries_in_a_transaction_use_its_connection(schema_url: str) -> None:
    async with connected(schema_url) as db:
        async with db.tx() as tx:
            await tx.execute_raw("INSERT INTO items (name) VALUES ('inside')")
            assert await tx.query_first("SELECT count(*) AS n FROM items") == {"n": 1}
            assert await db.query_first("SELECT count(*) AS n FROM items") == {"n": 0}
        assert await db.query_first("SELECT count(*) AS n FROM items") == {"n": 1}
