"""prisma-client-py's documented client behaviour (docs/reference/client.md, model-actions.md,
batching.md, transactions.md, operations.md#raw-queries, errors): lifecycle, registration,
batches, interactive transactions, raw SQL, and the error classes raised."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from orm.runtime.registry import unregister
from tests.orm.generated.client import Prisma, errors, get_client, models, register
from tests.orm.query_support import create_schema_tables, db

__all__ = ["db"]


@pytest.fixture
def no_registered_client() -> Iterator[None]:
    unregister()
    yield
    unregister()


async def test_async_with_connects_and_disconnects(pg_schema: str, schema_url: str) -> None:
    await create_schema_tables(pg_schema)
    client = Prisma(datasource={"url": schema_url})
    assert client.is_connected() is False
    async with client as entered:
        assert entered is client
        assert client.is_connected() is True
        await client.account.create(data={"email": "a@x.io"})
    assert client.is_connected() is False
    with pytest.raises(errors.ClientNotConnectedError):
        await client.account.find_many()


@pytest.mark.usefixtures("no_registered_client")
async def test_model_prisma_uses_the_registered_client(db: Prisma) -> None:
    with pytest.raises(errors.ClientNotRegisteredError):
        models.User.prisma()
    register(db)
    assert get_client() is db
    with pytest.raises(errors.ClientAlreadyRegisteredError):
        register(db)
    user = await models.User.prisma().create(data={"email": "a@x.io"})
    assert isinstance(user, models.User)
    assert [u.id for u in await models.User.prisma().find_many()] == [user.id]
    async with db.tx() as transaction:
        await models.User.prisma(transaction).update(
            where={"id": user.id}, data={"views": {"increment": 1}}
        )
    assert (await db.account.find_unique_or_raise(where={"id": user.id})).views == 1


@pytest.mark.usefixtures("no_registered_client")
async def test_register_a_function_and_auto_register(db: Prisma, schema_url: str) -> None:
    register(lambda: db)
    assert get_client() is db
    assert await models.User.prisma().count() == 0
    unregister()
    auto = Prisma(datasource={"url": schema_url}, auto_register=True)
    assert get_client() is auto


async def test_batch_context_manager_and_explicit_commit(db: Prisma) -> None:
    async with db.batch_() as batcher:
        batcher.account.create({"email": "a@x.io"})
        batcher.account.create({"email": "b@x.io"})
        assert await db.account.count() == 0  # nothing runs before exit
    assert await db.account.count() == 2

    batcher = db.batch_()
    batcher.account.update(where={"email": "a@x.io"}, data={"name": "A"})
    batcher.account.delete_many(where={"email": "b@x.io"})
    await batcher.commit()
    assert [u.name for u in await db.account.find_many()] == ["A"]


async def test_a_failing_batch_writes_nothing(db: Prisma) -> None:
    async def twice() -> None:
        async with db.batch_() as batcher:
            batcher.account.create({"email": "a@x.io"})
            batcher.account.create({"email": "a@x.io"})

    with pytest.raises(errors.UniqueViolationError):
        await twice()
    assert await db.account.count() == 0


async def test_tx_commits_on_exit_and_rolls_back_on_error(db: Prisma) -> None:
    a = await db.account.create(data={"email": "a@x.io", "balance": Decimal(100)})
    b = await db.account.create(data={"email": "b@x.io"})

    async def overdraw() -> None:
        async with db.tx() as transaction:
            user = await transaction.account.update(
                where={"id": a.id}, data={"balance": {"decrement": Decimal(150)}}
            )
            assert user is not None
            if user.balance < 0:
                raise ValueError("not enough balance")

    with pytest.raises(ValueError, match="enough"):
        await overdraw()
    assert (await db.account.find_unique_or_raise(where={"id": a.id})).balance == 100
    async with db.tx(max_wait=timedelta(seconds=2), timeout=timedelta(seconds=5)) as transaction:
        await transaction.account.update(
            where={"id": a.id}, data={"balance": {"decrement": Decimal(50)}}
        )
        await transaction.account.update(
            where={"id": b.id}, data={"balance": {"increment": Decimal(50)}}
        )
    balances = {u.email: u.balance for u in await db.account.find_many()}
    assert balances == {"a@x.io": 50, "b@x.io": 50}


async def test_a_transaction_past_its_timeout_is_expired(db: Prisma) -> None:
    async def slow() -> None:
        async with db.tx(timeout=timedelta(milliseconds=100)) as transaction:
            await transaction.account.create(data={"email": "a@x.io"})
            await asyncio.sleep(0.3)
            await transaction.account.create(data={"email": "b@x.io"})

    with pytest.raises(errors.TransactionExpiredError):
        await slow()
    assert await db.account.count() == 0


async def test_raw_queries_with_and_without_model(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io", "name": "Ann", "age": 3})
    rows = await db.query_raw("SELECT id, email, age FROM users WHERE id = $1", user.id)
    assert rows == [{"id": user.id, "email": "a@x.io", "age": 3}]
    typed = await db.query_raw("SELECT * FROM users WHERE id = $1", user.id, model=models.User)
    assert [type(u) for u in typed] == [models.User]
    assert typed[0].email == "a@x.io"
    first = await db.query_first("SELECT * FROM users WHERE age > $1", 1, model=models.User)
    assert first is not None
    assert first.email == "a@x.io"
    assert await db.query_first("SELECT * FROM users WHERE age > $1", 10) is None
    assert await db.execute_raw("UPDATE users SET age = age + 1 WHERE age > $1", 0) == 1
    via_model = await db.account.query_raw("SELECT * FROM users")
    assert [u.age for u in via_model] == [4]
    assert (await db.account.query_first("SELECT * FROM users")) == via_model[0]


async def test_raw_model_datetimes_are_utc_aware_like_other_reads(db: Prisma) -> None:
    user = await db.account.create(data={"email": "a@x.io"})
    typed = await db.query_first("SELECT * FROM users", model=models.User)
    assert typed is not None
    assert typed.createdAt.utcoffset() == timedelta(0)
    assert typed.createdAt == user.createdAt


async def test_raw_query_errors(db: Prisma) -> None:
    with pytest.raises(errors.RawQueryError):
        await db.query_raw("SELECT * FROM no_such_table")


async def test_unique_and_foreign_key_violations(db: Prisma) -> None:
    await db.account.create(data={"email": "a@x.io"})
    with pytest.raises(errors.UniqueViolationError):
        await db.account.create(data={"email": "a@x.io"})
    with pytest.raises(errors.ForeignKeyViolationError):
        await db.post.create(data={"title": "t", "authorId": "missing"})
    with pytest.raises(errors.DataError):  # both are DataErrors
        await db.account.create(data={"email": "a@x.io"})


async def test_or_raise_variants_raise_record_not_found(db: Prisma) -> None:
    with pytest.raises(errors.RecordNotFoundError):
        await db.account.find_unique_or_raise(where={"email": "nobody@x.io"})
    with pytest.raises(errors.RecordNotFoundError):
        await db.account.find_first_or_raise(where={"name": "nobody"})


async def test_nested_connect_to_a_missing_record_raises_record_not_found(db: Prisma) -> None:
    with pytest.raises(errors.RecordNotFoundError):
        await db.post.create(data={"title": "t", "author": {"connect": {"id": "missing"}}})


async def test_missing_required_value(db: Prisma) -> None:
    with pytest.raises(errors.MissingRequiredValueError):
        await db.post.create(data={"title": "no author"})  # pyright: ignore[reportArgumentType]


async def test_unknown_fields_raise_field_not_found(db: Prisma) -> None:
    with pytest.raises(errors.FieldNotFoundError):
        await db.account.find_many(where={"nope": 1})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError):
        await db.account.create(data={"email": "a@x.io", "nope": 1})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError):
        await db.account.find_many(order={"nope": "asc"})  # pyright: ignore[reportArgumentType]


async def test_unknown_unique_keys_and_filter_operators_raise_field_not_found(db: Prisma) -> None:
    with pytest.raises(errors.FieldNotFoundError):
        await db.account.find_unique(where={"nope": 1})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError):
        await db.account.find_many(where={"email": {"nope": 1}})  # pyright: ignore[reportArgumentType]


async def test_batch_on_a_disconnected_client_raises_client_not_connected(db: Prisma) -> None:
    await db.disconnect()
    batcher = db.batch_()
    batcher.account.create({"email": "a@x.io"})
    with pytest.raises(errors.ClientNotConnectedError):
        await batcher.commit()


async def test_data_errors_carry_prisma_code_and_meta(db: Prisma) -> None:
    await db.account.create(data={"email": "a@x.io"})
    with pytest.raises(errors.UniqueViolationError) as caught:
        await db.account.create(data={"email": "a@x.io"})
    err: object = caught.value
    assert getattr(err, "code", None) == "P2002"
    assert getattr(err, "meta", None) is not None
