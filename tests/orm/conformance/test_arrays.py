"""Scalar lists with Prisma's NULL semantics (databases/tests/arrays): an omitted list is stored
as NULL and read as [], `equals: None` matches it, `is_empty` matches only stored empty lists,
and `push` onto NULL starts a list. Json[] reads back parsed values and takes `push`."""

from __future__ import annotations

from tests.orm.conformance.generated.client import Json, Prisma


async def test_omitted_lists_are_null_and_read_as_empty(client: Prisma) -> None:
    async with client.batch_() as batcher:
        batcher.lists.create({})
        batcher.lists.create({"strings": []})
        batcher.lists.create({"strings": ["a", "b", "c"]})
    found = await client.lists.find_first(where={"strings": {"equals": None}})
    assert found is not None
    assert found.strings == []
    assert await client.lists.count(where={"strings": {"equals": None}}) == 1
    assert await client.lists.count(where={"strings": {"is_empty": True}}) == 1
    assert await client.lists.count(where={"strings": {"is_empty": False}}) == 1
    found = await client.lists.find_first(where={"strings": {"equals": ["a", "b", "c"]}})
    assert found is not None
    assert await client.lists.count(where={"strings": {"has_every": ["a", "b"]}}) == 1
    assert await client.lists.count(where={"strings": {"has_some": ["c", "z"]}}) == 1
    assert await client.lists.find_first(where={"strings": {"has": "d"}}) is None


async def test_push_onto_a_null_list_and_set(client: Prisma) -> None:
    empty = await client.lists.create({})
    full = await client.lists.create({"strings": ["a", "b", "c"], "ints": [1]})
    model = await client.lists.update(
        where={"id": empty.id}, data={"strings": {"push": ["a", "B"]}}
    )
    assert model is not None
    assert model.strings == ["a", "B"]
    model = await client.lists.update(where={"id": full.id}, data={"strings": {"push": ["d"]}})
    assert model is not None
    assert model.strings == ["a", "b", "c", "d"]
    model = await client.lists.update(where={"id": full.id}, data={"strings": {"set": ["e"]}})
    assert model is not None
    assert model.strings == ["e"]
    model = await client.lists.update(where={"id": full.id}, data={"ints": {"push": [2, 3]}})
    assert model is not None
    assert model.ints == [1, 2, 3]


async def test_json_lists_read_back_parsed_and_take_push(client: Prisma) -> None:
    created = await client.lists.create(
        {"json_objects": [Json({"foo": "bar"}), Json(["a", 1]), Json("text"), Json(None)]}
    )
    assert created.json_objects == [{"foo": "bar"}, ["a", 1], "text", None]
    found = await client.lists.find_unique_or_raise(where={"id": created.id})
    assert found.json_objects == [{"foo": "bar"}, ["a", 1], "text", None]
    model = await client.lists.update(
        where={"id": created.id}, data={"json_objects": {"push": [Json({"n": 2})]}}
    )
    assert model is not None
    assert model.json_objects[-1] == {"n": 2}
    empty = await client.lists.create({})
    model = await client.lists.update(
        where={"id": empty.id}, data={"json_objects": {"push": [Json(1)]}}
    )
    assert model is not None
    assert model.json_objects == [1]
