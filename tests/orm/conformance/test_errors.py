"""The exception classes and messages prisma-client-py raises for the same mistakes
(databases/tests/test_errors.py, test_create.py, test_group_by.py, test_find_many.py,
test_transactions.py, types/test_json.py)."""

from __future__ import annotations

import datetime
import re
import warnings

import pytest

from tests.orm.conformance.generated.client import Json, Prisma, errors


async def test_missing_required_value(client: Prisma) -> None:
    with pytest.raises(TypeError):
        await client.post.create()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    with pytest.raises(errors.MissingRequiredValueError):
        await client.post.create({"published": False})  # pyright: ignore[reportArgumentType]


async def test_field_not_found(client: Prisma) -> None:
    with pytest.raises(errors.FieldNotFoundError, match="bad_field"):
        await client.post.find_first(where={"bad_field": "foo"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError, match=r"data\.foo"):
        await client.post.create(
            data={"title": "foo", "published": True, "foo": "bar"}  # pyright: ignore[reportArgumentType]
        )


async def test_foreign_key_violation(client: Prisma) -> None:
    with pytest.raises(
        errors.ForeignKeyViolationError,
        match=re.compile(r"foreign key constraint failed on the field", re.IGNORECASE),
    ):
        await client.post.create(
            data={"title": "foo", "published": True, "author_id": "cjld2cjxh0000qzrmn831i7rn"}
        )


async def test_group_by_order_outside_by_is_an_input_error(client: Prisma) -> None:
    with pytest.raises(errors.InputError) as exc:
        await client.profile.group_by(["city"], order={"country": "asc"})  # pyright: ignore[reportArgumentType]
    assert exc.match(
        r"Every field used for orderBy must be included in the by-arguments of the query\. "
        r"Missing fields: country"
    )


async def test_several_fields_in_one_order_dict_are_refused(client: Prisma) -> None:
    with pytest.raises(errors.DataError):
        await client.profile.group_by(
            ["country", "city"],
            order={"city": "desc", "country": "asc"},  # pyright: ignore[reportArgumentType]
        )
    with pytest.raises(errors.DataError, match="needs exactly one argument"):
        await client.post.find_many(order={"published": "asc", "title": "desc"})  # pyright: ignore[reportArgumentType]
    await client.post.find_many(order=[{"published": "asc"}, {"title": "desc"}])


async def test_unserialisable_json_is_a_type_error(client: Prisma) -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        await client.types.create(data={"json_obj": Json(datetime.date(2024, 1, 1))})


async def test_transaction_expired(client: Prisma) -> None:
    with pytest.raises(errors.TransactionExpiredError):  # noqa: PT012
        async with client.tx(timeout=datetime.timedelta(milliseconds=50)) as tx:
            await tx.user.create({"name": "Robert"})
            await _sleep(0.2)
            await tx.user.create({"name": "Tegan"})
    assert await client.user.count() == 0


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def test_transaction_already_closed(client: Prisma) -> None:
    async with client.tx() as transaction:
        pass
    with pytest.raises(errors.TransactionError) as exc:
        await transaction.user.delete_many()
    assert exc.match(
        "Transaction API error: Transaction already closed: "
        "A query cannot be executed on a committed transaction."
    )


async def test_transaction_within_transaction_warns(client: Prisma) -> None:
    message = (
        "The current client is already in a transaction. This can lead to surprising behaviour."
    )
    async with client.tx() as tx1:
        with pytest.warns(UserWarning, match="already in a transaction") as caught:
            async with tx1.tx():
                pass
    assert [str(w.message) for w in caught] == [message]
    assert caught[0].filename == __file__
    outer = client.tx()
    tx2 = await outer.start()
    with pytest.warns(UserWarning, match="already in a transaction") as caught:
        inner = tx2.tx()
    assert caught[0].filename == __file__
    await (await inner.start()).user.count()
    await inner.rollback()
    await outer.rollback()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        async with client.tx() as outer:  # a top-level transaction does not warn
            await outer.user.count()
