"""Compare the wanted schema with the found one and plan the DDL that closes the gap.

Pure: the caller's `DiffScope` says which existing tables hold rows, how to compare defaults
and which objects earlier pushes created; nothing here touches the database. Every step names
the existing tables it locks and in which mode, so the runner can take those locks up front.
"""

from __future__ import annotations

from orm.push.ddl import add_foreign_key, create_enum, create_table
from orm.push.diff_columns import diff_columns
from orm.push.diff_indexes import diff_indexes
from orm.push.model import Column, DbSchema, EnumType, ForeignKey, Table
from orm.push.names import literal, quote
from orm.push.plan import Lock, Order, Phase, Plan, Risk, TableLock
from orm.push.scope import DiffScope

__all__ = ["plan_push"]


def _add_values(enum: EnumType, found: EnumType) -> list[str]:
    sql: list[str] = []
    for position, value in enumerate(enum.values):
        if value in found.values:
            continue
        following = next((v for v in enum.values[position + 1 :] if v in found.values), None)
        where = f" BEFORE {literal(following)}" if following else ""
        sql.append(f"ALTER TYPE {quote(enum.name)} ADD VALUE {literal(value)}{where}")
    return sql


def _enum_columns(db: DbSchema, enum: str) -> list[tuple[str, Column]]:
    return [
        (table.name, column)
        for table in db.tables.values()
        for column in table.columns
        if column.type.enum == enum
    ]


def _retype_to_enum(table: str, column: Column, enum: str, *, removed: list[str]) -> str:
    """ALTER ... TYPE onto the new enum: removed labels become NULL or leave the array."""
    name, new_type = quote(column.name), quote(enum) + ("[]" if column.type.is_list else "")
    if column.type.is_list:
        source = f"{name}::text[]"
        for label in removed:
            source = f"array_remove({source}, {literal(label)})"
    else:
        labels = ", ".join(literal(v) for v in removed)
        source = f"CASE WHEN {name}::text IN ({labels}) THEN NULL ELSE {name}::text END"
    alter = f"ALTER TABLE {quote(table)} ALTER COLUMN {name}"
    return f"{alter} SET DATA TYPE {new_type} USING ({source})::{new_type}"


def _removal_risk(table: str, column: Column, enum: str, *, removed: list[str]) -> Risk:
    labels = ", ".join(literal(v) for v in removed)
    name = quote(column.name)
    if column.type.is_list:
        test, fate = f"{name}::text[] && ARRAY[{labels}]", "lose those values"
    else:
        test, fate = f"{name}::text IN ({labels})", "become NULL"
    required = not column.nullable and not column.type.is_list
    return Risk(
        f"remove value(s) {', '.join(removed)} from enum {enum}",
        f"SELECT count(*) FROM {quote(table)} WHERE {test}",
        f"{{n}} rows of {table}.{column.name} hold a removed value"
        + (
            "; the column is required, so update those rows first"
            if required
            else f" and would {fate}"
        ),
        unexecutable=required,
    )


def _recreate_enum(
    plan: Plan, enum: EnumType, found: EnumType, *, wanted: DbSchema, actual: DbSchema
) -> None:
    removed = [v for v in found.values if v not in enum.values]
    old = quote(f"{enum.name}_old")
    sql = [f"ALTER TYPE {quote(enum.name)} RENAME TO {old}", create_enum(enum)]
    for table, column in _enum_columns(actual, enum.name):
        target = wanted.tables.get(table)
        kept = target.column(column.name) if target else None
        if kept is None or kept.type.enum != enum.name:
            continue  # dropped or retyped later in the plan
        alter = f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column.name)}"
        sql += [f"{alter} DROP DEFAULT", _retype_to_enum(table, column, enum.name, removed=removed)]
        if kept.default is not None:
            sql.append(f"{alter} SET DEFAULT {kept.default}")
        plan.risks.append(_removal_risk(table, column, enum.name, removed=removed))
    plan.add(
        f"~ enum {enum.name}: - {', '.join(removed)}",
        *sql,
        order=Order.RECREATE_ENUM,
        locks=[(table, Lock.ACCESS_EXCLUSIVE) for table, _ in _enum_columns(actual, enum.name)],
    )
    plan.add(f"- enum {enum.name}_old", f"DROP TYPE {old}", order=Order.DROP_ENUM)


def _diff_enums(plan: Plan, wanted: DbSchema, actual: DbSchema, *, scope: DiffScope) -> None:
    for name, enum in wanted.enums.items():
        found = actual.enums.get(name)
        if found is None:
            plan.add(
                f"+ enum {name} ({len(enum.values)} values)",
                create_enum(enum),
                order=Order.CREATE_ENUM,
            )
        elif set(found.values) - set(enum.values):
            _recreate_enum(plan, enum, found, wanted=wanted, actual=actual)
        elif added := _add_values(enum, found):
            values = ", ".join(v for v in enum.values if v not in found.values)
            plan.add(f"~ enum {name}: + {values}", *added, phase=Phase.ENUM_VALUES)
    for name in sorted(actual.enums.keys() - wanted.enums.keys()):
        if scope.manages(("enum", "", name)):
            plan.add(f"- enum {name}", f"DROP TYPE {quote(name)}", order=Order.DROP_ENUM)
        else:
            plan.left_alone.append(f"enum {name}")


def _related(actual: DbSchema, table: str, column: str | None = None) -> set[str]:
    """Tables a found foreign key links `table` to (through `column`, if given)."""
    linked: set[str] = set()
    for fk in actual.foreign_keys.values():
        if fk.table == table and (column is None or column in fk.columns):
            linked.add(fk.ref_table)
        if fk.ref_table == table and (column is None or column in fk.ref_columns):
            linked.add(fk.table)
    return linked - {table}


def _exclusive(*tables: str) -> list[TableLock]:
    return [(table, Lock.ACCESS_EXCLUSIVE) for table in tables]


def _diff_primary_key(plan: Plan, wanted: Table, found: Table) -> str | None:
    """Plans primary key changes; returns the name of the key dropped, if one is."""
    new, old = wanted.primary_key, found.primary_key
    if new == old:
        return None
    table = quote(wanted.name)
    locks = _exclusive(wanted.name)
    if new is not None and old is not None and new.columns == old.columns:
        sql = f"ALTER TABLE {table} RENAME CONSTRAINT {quote(old.name)} TO {quote(new.name)}"
        summary = f"~ primary key {new.name} on {wanted.name}"
        plan.add(summary, sql, order=Order.ADD_PRIMARY_KEY, locks=locks)
        return None
    if old is not None:
        plan.add(
            f"- primary key {old.name} on {wanted.name}",
            f"ALTER TABLE {table} DROP CONSTRAINT {quote(old.name)}",
            order=Order.DROP_PRIMARY_KEY,
            locks=locks,
        )
    if new is not None:
        columns = ", ".join(quote(c) for c in new.columns)
        plan.add(
            f"+ primary key {new.name} on {wanted.name}",
            f"ALTER TABLE {table} ADD CONSTRAINT {quote(new.name)} PRIMARY KEY ({columns})",
            order=Order.ADD_PRIMARY_KEY,
            locks=locks,
        )
    return old.name if old is not None else None


def _drop_table(plan: Plan, name: str, actual: DbSchema) -> None:
    plan.add(
        f"- table {name}",
        f"DROP TABLE {quote(name)}",
        order=Order.DROP_TABLE,
        locks=_exclusive(name, *sorted(_related(actual, name))),
    )
    plan.risks.append(
        Risk(f"drop table {name}", f"SELECT count(*) FROM {quote(name)}", "{n} rows would be lost")
    )


def _diff_tables(
    plan: Plan, wanted: DbSchema, actual: DbSchema, *, scope: DiffScope
) -> tuple[set[str], set[tuple[str, str]]]:
    """Plans table and column changes; returns the primary keys dropped, and the columns
    added or retyped as (table, column)."""
    dropped_keys: set[str] = set()
    changed: set[tuple[str, str]] = set()
    for name in sorted(actual.tables.keys() - wanted.tables.keys()):
        if scope.manages(("table", name, name)):
            _drop_table(plan, name, actual)
        else:
            plan.left_alone.append(f"table {name}")
    for name, table in wanted.tables.items():
        found = actual.tables.get(name)
        if found is None:
            plan.add(
                f"+ table {name} ({len(table.columns)} columns)",
                create_table(table),
                order=Order.CREATE_TABLE,
            )
            continue
        columns = diff_columns(
            plan, table, found, scope=scope, related=lambda t, c: _related(actual, t, c)
        )
        changed |= {(name, column) for column in columns}
        if (key := _diff_primary_key(plan, table, found)) is not None:
            dropped_keys.add(key)
    return dropped_keys, changed


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    return fk.table, fk.columns, fk.ref_table, fk.ref_columns


def _same_actions(a: ForeignKey, b: ForeignKey) -> bool:
    return (a.on_delete, a.on_update) == (b.on_delete, b.on_update)


def _add_foreign_key(plan: Plan, fk: ForeignKey, actual: DbSchema) -> None:
    tables = [t for t in (fk.table, fk.ref_table) if t in actual.tables]
    plan.add(
        f"+ foreign key {fk.name} on {fk.table} -> {fk.ref_table} (ON DELETE {fk.on_delete})",
        add_foreign_key(fk),
        order=Order.ADD_FOREIGN_KEY,
        locks=[(t, Lock.SHARE_ROW_EXCLUSIVE) for t in tables],
    )


def _diff_foreign_keys(
    plan: Plan, wanted: DbSchema, actual: DbSchema, *, scope: DiffScope, dropped: set[str]
) -> None:
    """Foreign keys match by definition, not name (Prisma's `map:` on @relation isn't in the
    DMMF). A key that relies on an index the push drops (`dropped`: a changed unique index or
    primary key) is dropped first and added back after the new index is in place, in the same
    transaction; so is a key of an operator's, with its own definition."""
    desired = {_fk_key(fk): fk for fk in wanted.foreign_keys.values()}
    found_keys: set[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = set()
    for fk in actual.foreign_keys.values():
        if fk.table not in wanted.tables and not scope.manages(("table", fk.table, fk.table)):
            continue  # stays with a table push leaves alone
        same = desired.get(_fk_key(fk))
        relies = fk.ref_index in dropped
        if same is not None and _same_actions(same, fk) and not relies:
            found_keys.add(_fk_key(fk))
            continue
        ours = same is not None or scope.manages(("constraint", fk.table, fk.name))
        if not ours and not relies:
            plan.left_alone.append(f"foreign key {fk.name} on {fk.table} -> {fk.ref_table}")
            found_keys.add(_fk_key(fk))
            continue
        plan.add(
            f"- foreign key {fk.name} on {fk.table}",
            f"ALTER TABLE {quote(fk.table)} DROP CONSTRAINT {quote(fk.name)}",
            order=Order.DROP_FOREIGN_KEY,
            locks=_exclusive(fk.table, fk.ref_table),
        )
        if not ours:
            _add_foreign_key(plan, fk, actual)
    for key, fk in desired.items():
        if key not in found_keys:
            _add_foreign_key(plan, fk, actual)


def plan_push(wanted: DbSchema, actual: DbSchema, *, scope: DiffScope) -> Plan:
    """The steps that turn `actual` into `wanted`, and the data they put at risk."""
    plan = Plan()
    _diff_enums(plan, wanted, actual, scope=scope)
    dropped_keys, changed = _diff_tables(plan, wanted, actual, scope=scope)
    dropped = diff_indexes(plan, wanted, actual, scope=scope, new_columns=changed)
    _diff_foreign_keys(plan, wanted, actual, scope=scope, dropped=dropped | dropped_keys)
    return plan
