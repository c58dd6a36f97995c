"""Column changes of a table both schemas have: add, drop, retype, nullability, default."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from orm.push.ddl import add_column, plain_type
from orm.push.model import Column, ColumnType, Table
from orm.push.names import quote
from orm.push.plan import Lock, Order, Plan, Risk, TableLock
from orm.push.scope import DiffScope, SameDefault

__all__ = ["Related", "diff_columns", "is_widening"]

Related = Callable[[str, str], Iterable[str]]
"""(table, column) → the other tables a foreign key on that column links the table to; DDL
that drops or retypes the column locks them too."""

_ORDER = ("smallint", "integer", "bigint", "numeric")
_ARGS = re.compile(r"^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?( with(?:out)? time zone)?$")
_LENGTH_TYPES = {"character varying", "character", "bit varying"}


def _parse(canon: str) -> tuple[str, int | None, int | None, str] | None:
    match = _ARGS.match(canon)
    if match is None:
        return None
    base, first, second, zone = match.groups()
    return base, int(first) if first else None, int(second) if second else None, zone or ""


def _numeric_widens(old: tuple[int | None, int | None], new: tuple[int | None, int | None]) -> bool:
    (old_p, old_s), (new_p, new_s) = old, new
    if new_p is None:
        return True
    if old_p is None:
        return False
    old_s, new_s = old_s or 0, new_s or 0
    return new_s >= old_s and new_p - new_s >= old_p - old_s


def is_widening(old: ColumnType, new: ColumnType) -> bool:
    """True when every value of `old` survives a cast to `new` unchanged."""
    if old.is_list != new.is_list:
        return False
    if old.canon == new.canon or (old.canon, new.canon) == ("real", "double precision"):
        return True
    parsed_old, parsed_new = _parse(old.canon), _parse(new.canon)
    if parsed_old is None or parsed_new is None:
        return False
    (ob, op, os, oz), (nb, np, ns, nz) = parsed_old, parsed_new
    if nb == "text" and ob in _LENGTH_TYPES - {"bit varying"}:
        return True
    if ob in _ORDER and nb in _ORDER:
        if ob == nb == "numeric":
            return _numeric_widens((op, os), (np, ns))
        return _ORDER.index(nb) > _ORDER.index(ob) and (nb != "numeric" or np is None)
    if ob != nb or oz != nz:
        return ob == "character" and nb == "character varying" and (np is None or np >= (op or 1))
    if ob in _LENGTH_TYPES or ob in {"timestamp", "time"}:
        return np is None or (op is not None and np >= op)
    return False


def _alter(table: str, column: str, action: str) -> str:
    return f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} {action}"


def _locks(table: str, column: str, related: Related) -> list[TableLock]:
    others = [(name, Lock.ACCESS_EXCLUSIVE) for name in related(table, column)]
    return [(table, Lock.ACCESS_EXCLUSIVE), *others]


def _add(plan: Plan, table: str, column: Column, *, populated: bool) -> None:
    plan.add(
        f"+ column {table}.{column.name} {column.type.sql}",
        add_column(table, column),
        order=Order.ADD_COLUMN,
        locks=[(table, Lock.ACCESS_EXCLUSIVE)],
    )
    if populated and not column.nullable and column.default is None and not column.autoincrement:
        plan.risks.append(
            Risk(
                f"add required column {table}.{column.name} without a default",
                f"SELECT count(*) FROM {quote(table)}",
                "the table holds {n} rows and the new column has no value for them; "
                "give the field a @default or make it optional",
                unexecutable=True,
            )
        )


def _drop(plan: Plan, table: str, column: Column, *, related: Related) -> None:
    plan.add(
        f"- column {table}.{column.name}",
        f"ALTER TABLE {quote(table)} DROP COLUMN {quote(column.name)}",
        order=Order.DROP_COLUMN,
        locks=_locks(table, column.name, related),
    )
    plan.risks.append(
        Risk(
            f"drop column {table}.{column.name}",
            f"SELECT count(*) FROM {quote(table)} WHERE {quote(column.name)} IS NOT NULL",
            "{n} non-null values would be lost",
        )
    )


def _retype(plan: Plan, table: str, wanted: Column, *, found: Column) -> list[str]:
    new_type = plain_type(wanted)
    widening = is_widening(found.type, wanted.type)
    source = quote(wanted.name) if widening else f"{quote(wanted.name)}::text"
    sql = [_alter(table, wanted.name, f"SET DATA TYPE {new_type} USING ({source}::{new_type})")]
    if found.default is not None:
        sql.insert(0, _alter(table, wanted.name, "DROP DEFAULT"))
    if not widening:
        plan.risks.append(
            Risk(
                f"change type of {table}.{wanted.name} from {found.type.sql} to {new_type}",
                f"SELECT count(*) FROM {quote(table)} WHERE {quote(wanted.name)} IS NOT NULL",
                "{n} values would be cast and may be cut, rounded or rejected",
            )
        )
    return sql


def _autoincrement(table: str, wanted: Column) -> list[str]:
    sequence = quote(f"{table}_{wanted.name}_seq")
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {sequence}",
        _alter(table, wanted.name, f"SET DEFAULT nextval('{sequence}')"),
        f"ALTER SEQUENCE {sequence} OWNED BY {quote(table)}.{quote(wanted.name)}",
    ]


def _default(
    table: str, wanted: Column, found: Column, *, retyped: bool, same_default: SameDefault
) -> list[str]:
    if wanted.autoincrement:
        return [] if found.autoincrement else _autoincrement(table, wanted)
    set_default = [_alter(table, wanted.name, f"SET DEFAULT {wanted.default}")]
    drop_default = [_alter(table, wanted.name, "DROP DEFAULT")]
    current = None if retyped else found.default  # a retype drops the old default first
    if found.autoincrement:
        return drop_default if wanted.default is None else set_default
    if wanted.default is None:
        return drop_default if current is not None else []
    if current is None or not same_default(table, wanted, found):
        return set_default
    return []


def _change(
    plan: Plan,
    table: str,
    wanted: Column,
    *,
    found: Column,
    same_default: SameDefault,
    related: Related,
) -> bool:
    """Plans changes to one column; returns whether its type changes."""
    sql: list[str] = []
    retyped = (found.type.canon, found.type.is_list) != (wanted.type.canon, wanted.type.is_list)
    if retyped:
        sql += _retype(plan, table, wanted, found=found)
    sql += _default(table, wanted, found, retyped=retyped, same_default=same_default)
    if wanted.nullable != found.nullable:
        sql.append(
            _alter(table, wanted.name, "DROP NOT NULL" if wanted.nullable else "SET NOT NULL")
        )
        if not wanted.nullable:
            plan.risks.append(
                Risk(
                    f"make {table}.{wanted.name} required",
                    f"SELECT count(*) FROM {quote(table)} WHERE {quote(wanted.name)} IS NULL",
                    "{n} rows hold NULL there; fill them in first",
                    unexecutable=True,
                )
            )
    if sql:
        plan.add(
            f"~ column {table}.{wanted.name}",
            *sql,
            order=Order.ALTER_COLUMN,
            locks=_locks(table, wanted.name, related),
        )
    return retyped


def diff_columns(
    plan: Plan, wanted: Table, found: Table, *, scope: DiffScope, related: Related
) -> set[str]:
    """Plans column changes of one table; returns the columns added or retyped (an index on
    them can't be built before the transaction that changes them)."""
    table = wanted.name
    wanted_names = {c.name for c in wanted.columns}
    for column in found.columns:
        if column.name in wanted_names:
            continue
        if scope.manages(("column", table, column.name)):
            _drop(plan, table, column, related=related)
        else:
            plan.left_alone.append(f"column {table}.{column.name} {column.type.sql}")
    changed: set[str] = set()
    for column in wanted.columns:
        actual = found.column(column.name)
        if actual is None:
            _add(plan, table, column, populated=table in scope.populated)
            changed.add(column.name)
        elif _change(
            plan,
            table,
            column,
            found=actual,
            same_default=scope.same_default,
            related=related,
        ):
            changed.add(column.name)
    return changed
