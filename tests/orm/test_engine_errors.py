"""Database errors arrive as `orm.runtime.errors` naming the model and field(s), never values."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text, update

from orm.runtime import errors
from tests.orm.engine_helpers import connected, items, tags


async def test_unique_violation_names_model_and_field(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        await ex.execute(insert(items).values(name="secret-name"), model="Item", action="create")
        with pytest.raises(errors.UniqueViolationError) as caught:
            await ex.execute(
                insert(items).values(name="secret-name"), model="Item", action="create"
            )
    error = caught.value
    assert (error.model, error.fields, error.sqlstate) == ("Item", ("name",), "23505")
    assert "Item.name" in str(error)
    assert "secret-name" not in str(error)


async def test_compound_unique_violation_names_every_field(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        await ex.execute(insert(items).values(id=1, name="a"))
        await ex.execute(insert(tags).values(item_id=1, label="x"))
        with pytest.raises(errors.UniqueViolationError) as caught:
            await ex.execute(insert(tags).values(item_id=1, label="x"), model="Tag")
    assert caught.value.fields == ("itemId", "label")
    assert "Tag.(itemId, label)" in str(caught.value)


async def test_foreign_key_violation_on_insert_and_on_delete(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(errors.ForeignKeyViolationError) as missing:
            await ex.execute(insert(tags).values(item_id=42, label="x"), model="Tag")
        assert missing.value.fields == ("itemId",)
        assert "related record does not exist" in str(missing.value)

        await ex.execute(insert(items).values(id=1, name="a"))
        await ex.execute(insert(tags).values(item_id=1, label="x"))
        with pytest.raises(errors.ForeignKeyViolationError) as referenced:
            await ex.execute(text("DELETE FROM items WHERE id = 1"), model="Item")
        assert "Tag still has records" in str(referenced.value)


async def test_not_null_violation_is_a_missing_required_value(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(errors.MissingRequiredValueError) as caught:
            await ex.execute(insert(tags).values(item_id=None, label=None), model="Tag")
    assert (caught.value.model, caught.value.field) == ("Tag", "label")
    assert "Tag.label is required" in str(caught.value)


async def test_check_violation_names_the_constraint(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(errors.DataError, match="items_qty_check"):
            await ex.execute(insert(items).values(name="a", qty=-1), model="Item")


async def test_bad_values_are_data_errors(schema_url: str) -> None:
    async with connected(schema_url) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(errors.DataError) as invalid_text:
            await ex.fetch(text("SELECT 'not-a-number'::integer"), model="Item")
        assert invalid_text.value.sqlstate == "22P02"
        with pytest.raises(errors.DataError) as out_of_range:
            await ex.fetch(select(text("2147483647::integer + 1")), model="Item")
        assert out_of_range.value.sqlstate == "22003"


async def test_values_asyncpg_cannot_encode_are_data_errors_without_the_value(
    schema_url: str,
) -> None:
    async with connected(schema_url) as db:
        with pytest.raises(errors.RawQueryError) as caught:
            await db.query_raw("SELECT $1::integer", "secret-text")
    assert "query argument $1" in str(caught.value)
    assert "secret-text" not in str(caught.value)


async def test_missing_table_suggests_db_push(schema_url: str) -> None:
    async with connected(schema_url, tables=False) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(errors.TableNotFoundError, match="db push"):
            await ex.fetch(select(items), model="Item", action="find_many")


async def test_statement_timeout_is_a_data_error_that_says_so(schema_url: str) -> None:
    async with connected(f"{schema_url}&statement_timeout=50", tables=False) as db:
        with pytest.raises(errors.RawQueryError, match="statement_timeout"):
            await db.execute_raw("SELECT pg_sleep(5)")
        assert await db.query_first("SHOW statement_timeout") == {"statement_timeout": "50ms"}


async def test_write_conflict_in_serializable_transactions_says_retry(schema_url: str) -> None:
    async with connected(schema_url, connection_limit=3) as db:
        ex = db._executor()  # pyright: ignore[reportPrivateUsage]
        await ex.execute(insert(items).values(id=1, name="a", qty=1))
        async with db.tx(isolation_level="Serializable") as first:
            await first._executor().fetch(select(items.c.qty))  # pyright: ignore[reportPrivateUsage]
            async with db.tx() as second:
                await second._executor().execute(  # pyright: ignore[reportPrivateUsage]
                    update(items).values(qty=2)
                )
            with pytest.raises(errors.TransactionConflictError, match="again"):
                await first._executor().execute(  # pyright: ignore[reportPrivateUsage]
                    update(items).values(qty=3)
                )
