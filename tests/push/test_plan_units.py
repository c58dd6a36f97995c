"""Pure rules of the new planning, no database: locks per step, ownership, index swaps, the
lock policy and the production wording."""

from __future__ import annotations

from orm.push.diff import plan_push
from orm.push.locking import LockPolicy
from orm.push.model import Column, ColumnType, DbSchema, ForeignKey, Index, IndexColumn, Table
from orm.push.names import temp_index_name
from orm.push.phases import uncovered
from orm.push.plan import Lock, Phase, strongest_locks
from orm.push.production import describe_rows, production_reason
from orm.push.scope import DiffScope, managed_objects

INT = ColumnType("INTEGER", "integer")
TEXT = ColumnType("TEXT", "text")


def _schema(*, code_index: Index | None = None, fk: bool = True) -> DbSchema:
    shelves = Table("shelves", (Column("id", INT, False), Column("code", TEXT, False)))
    items = Table("items", (Column("id", INT, False), Column("code", TEXT, False)))
    db = DbSchema(tables={"shelves": shelves, "items": items})
    index = code_index or Index("shelves_code_key", "shelves", (IndexColumn("code"),), unique=True)
    db.indexes[index.name] = index
    if fk:
        key = ForeignKey(
            "items_code_fkey", "items", ("code",), "shelves", ("code",), "RESTRICT", "CASCADE",
            ref_index=index.name,
        )  # fmt: skip
        db.foreign_keys[("items", key.name)] = key
    return db


def _scope(*, populated: frozenset[str] = frozenset(), owned: DbSchema | None = None) -> DiffScope:
    return DiffScope(
        populated,
        lambda _t, _w, _f: True,
        None if owned is None else frozenset(managed_objects(owned)),
    )


def test_strongest_lock_per_table_in_name_order() -> None:
    locks = [("b", Lock.SHARE), ("a", Lock.SHARE_ROW_EXCLUSIVE), ("b", Lock.ACCESS_EXCLUSIVE)]
    assert strongest_locks(locks) == [("a", Lock.SHARE_ROW_EXCLUSIVE), ("b", Lock.ACCESS_EXCLUSIVE)]
    assert uncovered([("a", Lock.ACCESS_EXCLUSIVE), ("b", Lock.SHARE)], locks[1:]) == [
        ("a", Lock.ACCESS_EXCLUSIVE)
    ]


def test_lock_policy_pauses_grow_and_stay_bounded() -> None:
    policy = LockPolicy(timeout=0.25, retries=9, delay=1.0, max_delay=5.0)
    assert policy.timeout_sql == "250ms"
    assert 0.5 <= policy.pause(0) <= 1.0
    assert 2.0 <= policy.pause(2) <= 4.0
    assert 2.5 <= policy.pause(8) <= 5.0


def test_a_changed_unique_index_is_built_aside_and_swapped_with_its_foreign_key() -> None:
    actual = _schema()
    wanted = _schema(
        code_index=Index("shelves_code_key", "shelves", (IndexColumn("code", True),), unique=True)
    )

    plan = plan_push(wanted, actual, scope=_scope(populated=frozenset({"shelves", "items"})))

    temp = temp_index_name("shelves_code_key")
    assert [s.sql for s in plan.phase(Phase.CONCURRENT)] == [
        (f'CREATE UNIQUE INDEX CONCURRENTLY "{temp}" ON "shelves" ("code" DESC)',)
    ]
    assert [s.sql[0] for s in plan.phase(Phase.MAIN)] == [
        'ALTER TABLE "items" DROP CONSTRAINT "items_code_fkey"',
        'DROP INDEX "shelves_code_key"',
        f'ALTER INDEX "{temp}" RENAME TO "shelves_code_key"',
        'ALTER TABLE "items" ADD CONSTRAINT "items_code_fkey" FOREIGN KEY ("code") '
        'REFERENCES "shelves"("code") ON DELETE RESTRICT ON UPDATE CASCADE',
    ]
    assert plan.locks() == [("items", Lock.ACCESS_EXCLUSIVE), ("shelves", Lock.ACCESS_EXCLUSIVE)]
    assert [r.change for r in plan.risks] == [
        "add unique index shelves_code_key on shelves (code DESC)"
    ]


def test_objects_no_push_created_are_left_alone_and_owned_ones_dropped() -> None:
    wanted = _schema(fk=False)
    actual = _schema()
    extra = Index("items_code_idx", "items", (IndexColumn("code"),))
    actual.indexes[extra.name] = extra

    unknown = plan_push(wanted, actual, scope=_scope())
    owned = plan_push(wanted, actual, scope=_scope(owned=actual))

    assert unknown.steps == []
    assert unknown.left_alone == [
        "index items_code_idx on items (code)",
        "foreign key items_code_fkey on items -> shelves",
    ]
    assert sorted(s.summary for s in owned.steps) == [
        "- foreign key items_code_fkey on items",
        "- index items_code_idx on items (code) (removed)",
    ]


def test_a_left_over_temporary_index_that_matches_is_swapped_in() -> None:
    wanted = _schema(fk=False)
    actual = _schema(fk=False)
    del actual.indexes["shelves_code_key"]
    temp = temp_index_name("shelves_code_key")
    actual.temp_indexes[temp] = Index(temp, "shelves", (IndexColumn("code"),), unique=True)

    plan = plan_push(wanted, actual, scope=_scope(populated=frozenset({"shelves"})))

    assert plan.statements == [f'ALTER INDEX "{temp}" RENAME TO "shelves_code_key"']


def test_production_wording() -> None:
    assert production_reason(None, "development") is None
    assert production_reason("production", "Production") == (
        "its _orm_push_state marks it as production and ENVIRONMENT=production"
    )
    assert describe_rows([("users", 3), ("events", 1_000_001)]) == (
        "users (3 rows), events (more than 1,000,000 rows): 1,000,004+ rows in all"
    )
