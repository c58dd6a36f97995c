"""`upsert` as one `INSERT ... ON CONFLICT (key) DO UPDATE ... RETURNING`, when it can be.

Update-then-insert in a transaction races: two callers both find no row and both insert, and
one fails with a unique violation. PostgreSQL settles that itself when the statement names the
conflict. As Prisma does for its database upserts, this is used when the `where` is exactly one
unique key with plain values, `create` gives that key the same values, and neither `create` nor
`update` writes relations; anything else runs the transaction (`ops.upsert`).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.dialects.postgresql import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert

from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.values import db_value
from orm.runtime.query.write.scalars import create_values, update_values
from orm.runtime.query.write.validate import has_relations
from orm.runtime.types import JsonValue

__all__ = ["conflict_upsert"]

Args = Mapping[str, JsonValue]


def _plain(value: JsonValue) -> bool:
    return value is not None and not is_mapping(value) and not is_sequence(value)


def _unique_key(model: ModelMeta, where: JsonValue) -> dict[str, JsonValue] | None:
    """`where` as {field: value} when it names exactly one unique key, with plain values."""
    if not is_mapping(where):
        return None
    if len(where) == 1:
        [(name, value)] = where.items()
        fields = model.compound_keys.get(name)
        if fields is not None:
            if not is_mapping(value) or set(value) != set(fields):
                return None
            where = {f: value[f] for f in fields}
    if set(where) not in [set(u) for u in model.unique_sets]:
        return None
    if not all(_plain(v) for v in where.values()):
        return None
    return dict(where)


def _same_key(model: ModelMeta, key: Args, create: Args) -> bool:
    for name, value in key.items():
        given = create.get(name)
        if not _plain(given):
            return False
        field = model.scalars[name]
        if db_value(model, field, given) != db_value(model, field, value):
            return False
    return True


def conflict_upsert(
    model: ModelMeta, where: Args, create: JsonValue, update: JsonValue
) -> Insert | None:
    """The single-statement upsert, or None when it would not mean the same as Prisma's."""
    if not (is_mapping(create) and is_mapping(update)):
        return None
    if has_relations(model, create) or has_relations(model, update):
        return None
    key = _unique_key(model, where)
    if key is None or not _same_key(model, key, create):
        return None
    table = model.table
    changes = update_values(model, table, update)
    if not changes:  # still "update" the row so it is locked and returned
        first = next(iter(key))
        changes = {first: table.c[first]}
    stmt = pg_insert(table).values(create_values(model, create))
    return stmt.on_conflict_do_update(
        index_elements=[table.c[f] for f in key], set_=changes
    ).returning(*model.select_columns)
