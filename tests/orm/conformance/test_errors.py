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
    with pytest.raises(TypeError, match=r"Type <class 'datetime\.date'> not serializable"):
        await client.types.create(data={"json_obj": Json(datetime.date(2024, 1, 1))})
    # a class names itself, as prisma-client-py's serializer reports it
    with pytest.raises(TypeError, match=r"Type <class '.*\.Prisma'> not serializable"):
        await client.types.create(data={"json_obj": Json.keys(foo=Prisma)})  # pyright: ignore[reportArgumentType]


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
    # prisma-client-py: TransactionExpiredError, a TransactionError
    with pytest.raises(errors.TransactionExpiredError) as exc:
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


async def test_none_for_a_required_field_or_a_relation_is_a_missing_value(client: Prisma) -> None:
    with pytest.raises(errors.MissingRequiredValueError, match="published"):
        await client.post.create(data={"title": "Post", "published": None})  # pyright: ignore[reportArgumentType]
    post = await client.post.create(data={"title": "Post", "published": False})
    with pytest.raises(errors.MissingRequiredValueError, match="published"):
        await client.post.update(where={"id": post.id}, data={"published": None})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.MissingRequiredValueError, match="author"):
        await client.post.create(data={"title": "Post", "published": False, "author": None})  # pyright: ignore[reportArgumentType]
    assert await client.post.count() == 1


async def test_record_not_found_names_the_engine_reason(client: Prisma) -> None:
    reason = r"depends on one or more records that were required but not found"
    with pytest.raises(errors.RecordNotFoundError, match=reason) as found:
        await client.post.find_unique_or_raise(where={"id": "missing"})
    assert found.value.code == "P2025"
    assert "record matches" in str(found.value.meta["cause"])
    with pytest.raises(errors.RecordNotFoundError, match=reason):
        await client.post.find_first_or_raise(where={"title": {"contains": "not found"}})


async def test_several_fields_in_one_order_dict_give_the_engine_count(client: Prisma) -> None:
    with pytest.raises(
        errors.DataError, match=r"Expected a minimum of 0 and at most 1 fields to be present, got 2"
    ):
        await client.post.find_many(order={"published": "desc", "title": "desc"})  # pyright: ignore[reportArgumentType]


async def test_two_atomic_operations_on_one_field_are_refused(client: Prisma) -> None:
    record = await client.types.create({"integer": 30})
    for field in ("integer", "bigint", "float_"):
        with pytest.raises(errors.DataError) as exc:
            await client.types.update(
                where={"id": record.id},
                data={field: {"divide": 1, "multiply": 2}},  # pyright: ignore[reportArgumentType]
            )
        assert "Expected exactly one field to be present, got 2" in exc.value.args[0]
    assert (await client.types.find_unique_or_raise(where={"id": record.id})).integer == 30


async def test_an_unknown_field_under_a_relation_filter_names_its_path(client: Prisma) -> None:
    with pytest.raises(errors.FieldNotFoundError, match=r"where\.author\.is\.foo"):
        await client.post.find_first(where={"author": {"is": {"foo": "bar"}}})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.FieldNotFoundError, match=r"where\.posts\.some\.author\.is\.nope"):
        await client.user.find_first(
            where={"posts": {"some": {"author": {"is": {"nope": 1}}}}}  # pyright: ignore[reportArgumentType]
        )


async def test_having_on_a_field_outside_by_is_an_input_error(client: Prisma) -> None:
    with pytest.raises(errors.InputError) as exc:
        await client.profile.group_by(
            by=["country"], count=True, having={"views": {"gt": 50}}, order={"country": "asc"}
        )
    assert exc.match(
        "Input error. Every field used in `having` filters must either be an aggregation filter "
        "or be included in the selection of the query. Missing fields: views"
    )
    # an aggregate of it, or a plain filter on a grouped field, is fine
    await client.profile.group_by(
        by=["country"],
        having={"views": {"_avg": {"gt": 1}}, "country": "Scotland"},
        order={"country": "asc"},
    )


async def test_a_raw_query_with_the_wrong_arguments_fails_cleanly(client: Prisma) -> None:
    count = 'SELECT COUNT(*) AS count FROM "Post"'
    with pytest.raises((errors.RawQueryError, errors.DataError), match="expects 0 arguments"):
        await client.query_raw(count, 1)
    with pytest.raises((errors.RawQueryError, errors.DataError)):
        await client.query_raw('SELECT * FROM "Post" WHERE views = $1', "not a number")
    assert await client.query_raw(count) == [{"count": 0}]  # the connection is still usable
