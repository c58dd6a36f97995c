"""find_unique / find_first / find_many: order, take (negative too), skip, cursor, distinct."""

from __future__ import annotations

import pickle
from collections.abc import Sequence

import pytest

from orm.runtime import errors
from tests.orm.generated.client import Prisma
from tests.orm.generated.client.models import Person
from tests.orm.query_support import db

__all__ = ["db"]


@pytest.fixture
async def people(db: Prisma) -> Prisma:
    await db.person.create_many(
        data=[
            {"firstName": first, "lastName": last}
            for first, last in [("a", "x"), ("b", "y"), ("c", "x"), ("d", "y"), ("e", "x")]
        ]
    )
    return db


def names(rows: Sequence[Person]) -> list[str]:
    return [r.firstName for r in rows]


async def test_order_take_skip(people: Prisma) -> None:
    db = people
    desc = await db.person.find_many(order={"firstName": "desc"})
    page = await db.person.find_many(order={"firstName": "asc"}, skip=1, take=2)
    multi = await db.person.find_many(order=[{"lastName": "asc"}, {"firstName": "desc"}])

    assert names(desc) == ["e", "d", "c", "b", "a"]
    assert names(page) == ["b", "c"]
    assert names(multi) == ["e", "c", "a", "d", "b"]


async def test_negative_take_returns_last_rows_in_requested_order(people: Prisma) -> None:
    db = people
    last_two = await db.person.find_many(order={"firstName": "asc"}, take=-2)
    by_id = await db.person.find_many(take=-2)

    assert names(last_two) == ["d", "e"]
    assert names(by_id) == ["d", "e"]


async def test_cursor_pagination(people: Prisma) -> None:
    db = people
    c = await db.person.find_first_or_raise(where={"firstName": "c"})

    forward = await db.person.find_many(cursor={"id": c.id}, take=2, order={"firstName": "asc"})
    after = await db.person.find_many(
        cursor={"id": c.id}, skip=1, take=2, order={"firstName": "asc"}
    )
    backward = await db.person.find_many(cursor={"id": c.id}, take=-2, order={"firstName": "asc"})
    by_name = await db.person.find_many(
        cursor={"name_surname": {"firstName": "d", "lastName": "y"}}, order={"lastName": "desc"}
    )

    assert names(forward) == ["c", "d"]
    assert names(after) == ["d", "e"]
    assert names(backward) == ["b", "c"]
    assert names(by_name) == ["d", "a", "c", "e"]


async def test_distinct_keeps_first_row_per_value(people: Prisma) -> None:
    db = people
    rows = await db.person.find_many(distinct=["lastName"], order={"firstName": "desc"})

    assert names(rows) == ["e", "d"]


async def test_find_unique_first_and_raise(people: Prisma) -> None:
    db = people
    by_key = await db.person.find_unique(
        where={"name_surname": {"firstName": "b", "lastName": "y"}}
    )
    first = await db.person.find_first(where={"lastName": "x"}, order={"firstName": "desc"})

    assert by_key is not None
    assert by_key.firstName == "b"
    assert first is not None
    assert first.firstName == "e"
    assert await db.person.find_unique(where={"id": -1}) is None
    assert await db.person.find_first(where={"firstName": "zz"}) is None
    with pytest.raises(errors.RecordNotFoundError):
        await db.person.find_unique_or_raise(where={"id": -1})
    with pytest.raises(errors.RecordNotFoundError):
        await db.person.find_first_or_raise(where={"firstName": "zz"})


async def test_bad_order_and_unique_where_are_rejected(db: Prisma) -> None:
    with pytest.raises(errors.FieldNotFoundError, match="Person has no field `age` in order"):
        await db.person.find_many(order={"age": "asc"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match="order must be 'asc' or 'desc'"):
        await db.person.find_many(order={"firstName": "up"})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.InputError, match=r"Person\.find_unique needs a unique `where`"):
        await db.person.find_unique(where={"firstName": "a"})  # pyright: ignore[reportArgumentType]


async def test_distinct_with_negative_take_keeps_the_last_rows(people: Prisma) -> None:
    db = people
    rows = await db.person.find_many(distinct=["lastName"], order={"firstName": "asc"}, take=-1)

    assert names(rows) == ["b"]


async def test_each_record_of_a_read_has_its_own_fields_set(people: Prisma) -> None:
    db = people
    first, second = await db.person.find_many(take=2, include={"mentor": True})
    read = {"id", "firstName", "lastName", "mentorId", "mentor"}

    assert first.model_fields_set == second.model_fields_set == read
    first.mentee = None  # setting a field marks it set on this record only
    first.model_fields_set.add("following")

    assert first.model_fields_set == read | {"mentee", "following"}
    assert second.model_fields_set == read
    assert second.model_dump(exclude_unset=True).keys() == read
    assert pickle.loads(pickle.dumps(second)).model_fields_set == read


async def test_marking_a_field_set_on_a_record_leaves_later_reads_alone(people: Prisma) -> None:
    # reads without an include share their layout's fields set across queries, not just records
    db = people
    read = {"id", "firstName", "lastName", "mentorId"}
    found = await db.person.find_unique(where={"name_surname": {"firstName": "a", "lastName": "x"}})
    created = await db.person.create(data={"firstName": "f", "lastName": "z"})
    assert found is not None
    found.mentee = None
    found.model_fields_set.discard("lastName")
    created.model_fields_set.add("following")

    again = await db.person.find_unique(where={"name_surname": {"firstName": "a", "lastName": "x"}})
    listed = await db.person.find_many(take=1)
    created_again = await db.person.create(data={"firstName": "g", "lastName": "z"})

    assert found.model_fields_set == read - {"lastName"} | {"mentee"}
    assert again is not None
    assert again.model_fields_set == read
    assert listed[0].model_fields_set == read
    assert created_again.model_fields_set == read
