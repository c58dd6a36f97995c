"""The sync client (`interface = "sync"`), tested as prisma-client-py's databases/sync_tests
mirror its async tests: the same calls without `await`, the same results."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest

from tests.orm.conformance.generated import sync_client as sync
from tests.orm.conformance.generated.sync_client import Json, errors


def test_context_manager_connects_and_disconnects(
    schema_url: str, sync_client: sync.Prisma
) -> None:
    db = sync.Prisma(datasource={"url": schema_url})
    assert not db.is_connected()
    with db as entered:
        assert entered is db
        assert db.user.count() == 0
    assert not db.is_connected()
    with pytest.raises(errors.ClientNotConnectedError):
        db.user.count()


def test_crud_and_include(sync_client: sync.Prisma) -> None:
    db = sync_client
    user = db.user.create(
        data={"name": "Robert", "posts": {"create": [{"title": "a", "published": True}]}},
        include={"posts": True},
    )
    assert user.posts is not None
    assert [p.title for p in user.posts] == ["a"]
    assert db.user.find_unique(where={"id": user.id}) is not None
    assert db.user.find_first(where={"name": {"startswith": "Rob"}}) is not None
    assert [u.name for u in db.user.find_many(order={"name": "asc"})] == ["Robert"]
    updated = db.user.update(where={"id": user.id}, data={"name": "Tegan"})
    assert updated is not None
    assert updated.name == "Tegan"
    assert db.user.update_many(where={}, data={"name": "T"}) == 1
    upserted = db.user.upsert(
        where={"id": user.id}, data={"create": {"name": "x"}, "update": {"name": "y"}}
    )
    assert upserted.name == "y"
    assert db.post.count(select={"_all": True, "description": True}) == {
        "_all": 1,
        "description": 0,
    }
    assert db.post.delete_many() == 1
    deleted = db.user.delete(where={"id": user.id})
    assert deleted is not None
    with pytest.raises(errors.RecordNotFoundError):
        db.user.find_unique_or_raise(where={"id": user.id})


def test_types_round_trip(sync_client: sync.Prisma) -> None:
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    record = sync_client.types.create(
        data={"decimal_": Decimal("2.50"), "datetime_": when, "json_obj": Json({"a": 1})}
    )
    found = sync_client.types.find_first(where={"datetime_": when})
    assert found is not None
    assert found.id == record.id
    assert str(found.decimal_) == "2.5"
    assert found.json_obj == {"a": 1}
    lists = sync_client.lists.create({})
    assert lists.strings == []
    assert sync_client.lists.count(where={"strings": {"equals": None}}) == 1


def test_transactions_commit_roll_back_and_warn_when_nested(sync_client: sync.Prisma) -> None:
    db = sync_client
    with db.tx() as tx:
        tx.user.create({"name": "Robert"})
        assert db.user.count() == 0
    assert db.user.count() == 1

    def fail_inside() -> None:
        with db.tx() as tx:
            tx.user.create({"name": "Tegan"})
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_inside()
    assert db.user.count() == 1
    with db.tx() as tx, pytest.warns(UserWarning, match="already in a transaction"):
        tx.tx()
    manager = db.tx(isolation_level="Serializable")
    tx = manager.start()
    tx.user.create({"name": "Later"})
    manager.rollback()
    assert db.user.count() == 1


def test_batch_and_raw_queries(sync_client: sync.Prisma) -> None:
    db = sync_client
    with db.batch_() as batcher:
        batcher.user.create({"name": "A"})
        batcher.user.create({"name": "B"})
        assert db.user.count() == 0
    assert db.user.count() == 2
    rows = db.query_raw('SELECT name, created_at FROM "User" ORDER BY name')
    assert [r["name"] for r in rows] == ["A", "B"]
    assert isinstance(rows[0]["created_at"], str)
    typed = db.user.query_first('SELECT * FROM "User" WHERE name = $1', "B")
    assert typed is not None
    assert typed.name == "B"
    assert db.execute_raw('UPDATE "User" SET name = $1', "C") == 2
    assert db.get_metrics().counters[0].value > 0
    assert "prisma_datasource_queries_total" in db.get_metrics(format="prometheus")


def test_usable_from_several_threads(sync_client: sync.Prisma) -> None:
    errors_seen: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                sync_client.user.create({"name": f"{n}-{i}"})
        except BaseException as exc:  # collected and asserted below
            errors_seen.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors_seen == []
    assert sync_client.user.count() == 20


def test_errors_are_the_async_clients(sync_client: sync.Prisma) -> None:
    with pytest.raises(errors.MissingRequiredValueError):
        sync_client.post.create({"published": False})  # pyright: ignore[reportArgumentType]
    with pytest.raises(errors.ForeignKeyViolationError):
        sync_client.post.create({"title": "t", "published": True, "author_id": "nobody"})


def test_a_closed_transaction_is_expired(sync_client: sync.Prisma) -> None:
    """databases/sync_tests/test_transactions.py: using a transaction's client after its block."""
    with sync_client.tx() as transaction:
        pass
    with pytest.raises(errors.TransactionExpiredError, match="Transaction already closed"):
        transaction.user.delete_many()
    assert sync_client.user.count() == 0
