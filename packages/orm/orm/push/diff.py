"""Compare the wanted schema with the found one and plan the DDL that closes the gap.

Pure: the caller says which existing tables hold rows (`populated`) and how to compare
defaults; nothing here touches the database.
"""

from __future__ import annotations

from orm.push.ddl import add_foreign_key, create_enum, create_index, create_table, drop_index
from orm.push.diff_columns import SameDefault, diff_columns
from orm.push.model import Column, DbSchema, EnumType, ForeignKey, Index, Table
from orm.push.names import literal, quote
from orm.push.plan import Order, Phase, Plan, Risk

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
    plan.add(f"~ enum {enum.name}: - {', '.join(removed)}", *sql, order=Order.RECREATE_ENUM)
    plan.add(f"- enum {enum.name}_old", f"DROP TYPE {old}", order=Order.DROP_ENUM)


def _diff_enums(plan: Plan, wanted: DbSchema, actual: DbSchema) -> None:
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
    for name in actual.enums.keys() - wanted.enums.keys():
        plan.add(f"- enum {name}", f"DROP TYPE {quote(name)}", order=Order.DROP_ENUM)


def _diff_primary_key(plan: Plan, wanted: Table, found: Table) -> bool:
    """Plans primary key changes; returns whether the old key is dropped."""
    new, old = wanted.primary_key, found.primary_key
    if new == old:
        return False
    table = quote(wanted.name)
    if new is not None and old is not None and new.columns == old.columns:
        sql = f"ALTER TABLE {table} RENAME CONSTRAINT {quote(old.name)} TO {quote(new.name)}"
        plan.add(f"~ primary key {new.name} on {wanted.name}", sql, order=Order.ADD_PRIMARY_KEY)
        return False
    if old is not None:
        plan.add(
            f"- primary key {old.name} on {wanted.name}",
            f"ALTER TABLE {table} DROP CONSTRAINT {quote(old.name)}",
            order=Order.DROP_PRIMARY_KEY,
        )
    if new is not None:
        columns = ", ".join(quote(c) for c in new.columns)
        plan.add(
            f"+ primary key {new.name} on {wanted.name}",
            f"ALTER TABLE {table} ADD CONSTRAINT {quote(new.name)} PRIMARY KEY ({columns})",
            order=Order.ADD_PRIMARY_KEY,
        )
    return old is not None


def _diff_tables(
    plan: Plan,
    wanted: DbSchema,
    actual: DbSchema,
    *,
    populated: set[str],
    same_default: SameDefault,
) -> set[str]:
    """Plans table and column changes; returns the tables whose primary key is dropped."""
    rekeyed: set[str] = set()
    for name in actual.tables.keys() - wanted.tables.keys():
        plan.add(f"- table {name}", f"DROP TABLE {quote(name)}", order=Order.DROP_TABLE)
        plan.risks.append(
            Risk(
                f"drop table {name}",
                f"SELECT count(*) FROM {quote(name)}",
                "{n} rows would be lost",
            )
        )
    for name, table in wanted.tables.items():
        found = actual.tables.get(name)
        if found is None:
            plan.add(
                f"+ table {name} ({len(table.columns)} columns)",
                create_table(table),
                order=Order.CREATE_TABLE,
            )
            continue
        diff_columns(plan, table, found, populated=name in populated, same_default=same_default)
        if _diff_primary_key(plan, table, found):
            rekeyed.add(name)
    return rekeyed


def _same_index(wanted: Index, found: Index) -> bool:
    if (wanted.table, wanted.unique, wanted.method) != (found.table, found.unique, found.method):
        return False
    if len(wanted.columns) != len(found.columns) or not found.valid:
        return False
    return all(f.matches(w) for w, f in zip(wanted.columns, found.columns, strict=True))


def _describe(index: Index) -> str:
    keys = ", ".join(c.name + (" DESC" if c.descending else "") for c in index.columns)
    kind = "unique index" if index.unique else "index"
    method = "" if index.method == "btree" else f" USING {index.method}"
    return f"{kind} {index.name} on {index.table}{method} ({keys})"


def _diff_indexes(
    plan: Plan, wanted: DbSchema, actual: DbSchema, *, populated: set[str], rekeyed: set[str]
) -> set[str]:
    """Plans index changes; returns the tables that get a unique index built concurrently.

    Adds to `rekeyed` the tables that lose a unique index (foreign keys may depend on it).
    """
    concurrent: set[str] = set()
    for name, found in actual.indexes.items():
        index = wanted.indexes.get(name)
        if found.table not in wanted.tables or (index is not None and _same_index(index, found)):
            continue
        why = "invalid, rebuilt" if not found.valid else "changed" if index else "removed"
        plan.add(f"- {_describe(found)} ({why})", drop_index(found), order=Order.DROP_INDEX)
        if found.unique:
            rekeyed.add(found.table)
    for name, index in wanted.indexes.items():
        found = actual.indexes.get(name)
        if found is not None and _same_index(index, found):
            continue
        if name in actual.unmanaged_indexes:  # the schema's name is taken by another index
            other = Index(name, actual.unmanaged_indexes[name], ())
            plan.add(
                f"- index {name} (not the schema's definition)",
                drop_index(other),
                order=Order.DROP_INDEX,
            )
        if index.table in populated:
            if index.unique:
                concurrent.add(index.table)
            plan.add(
                f"+ {_describe(index)} (concurrently)",
                create_index(index, concurrently=True),
                phase=Phase.CONCURRENT,
            )
        else:
            plan.add(f"+ {_describe(index)}", create_index(index), order=Order.CREATE_INDEX)
    return concurrent


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    return fk.table, fk.columns, fk.ref_table, fk.ref_columns


def _same_actions(a: ForeignKey, b: ForeignKey) -> bool:
    return (a.on_delete, a.on_update) == (b.on_delete, b.on_update)


def _diff_foreign_keys(
    plan: Plan, wanted: DbSchema, actual: DbSchema, *, concurrent: set[str], rekeyed: set[str]
) -> None:
    """Foreign keys match by definition, not name (Prisma's `map:` on @relation isn't in the
    DMMF). Keys pointing at a table whose primary key or a unique index is rebuilt are dropped
    first and added back afterwards, since they depend on that index."""
    found = {_fk_key(fk): fk for fk in actual.foreign_keys.values()}
    desired = {_fk_key(fk): fk for fk in wanted.foreign_keys.values()}
    rebuilt: set[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = set()
    for key, fk in found.items():
        same = desired.get(key)
        if same is None or not _same_actions(same, fk) or fk.ref_table in rekeyed:
            rebuilt.add(key)
            plan.add(
                f"- foreign key {fk.name} on {fk.table}",
                f"ALTER TABLE {quote(fk.table)} DROP CONSTRAINT {quote(fk.name)}",
                order=Order.DROP_FOREIGN_KEY,
            )
    for key, fk in desired.items():
        if key in found and key not in rebuilt:
            continue
        summary = (
            f"+ foreign key {fk.name} on {fk.table} -> {fk.ref_table} (ON DELETE {fk.on_delete})"
        )
        if fk.ref_table in concurrent:
            plan.add(summary, add_foreign_key(fk), phase=Phase.DEFERRED)
        else:
            plan.add(summary, add_foreign_key(fk), order=Order.ADD_FOREIGN_KEY)


def plan_push(
    wanted: DbSchema, actual: DbSchema, *, populated: set[str], same_default: SameDefault
) -> Plan:
    """The steps that turn `actual` into `wanted`, and the data they put at risk."""
    plan = Plan()
    _diff_enums(plan, wanted, actual)
    rekeyed = _diff_tables(plan, wanted, actual, populated=populated, same_default=same_default)
    concurrent = _diff_indexes(plan, wanted, actual, populated=populated, rekeyed=rekeyed)
    _diff_foreign_keys(plan, wanted, actual, concurrent=concurrent, rekeyed=rekeyed)
    return plan
