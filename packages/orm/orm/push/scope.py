"""What one push may touch: the objects db push created before, and how it may build indexes.

db push records every object it manages (`managed_objects` of the schema it applied) in the
schema's `_orm_push_state` table. An object in the database that the schema no longer has is
dropped (with the data-loss check) only when db push created it; anything else (an index or a
table an operator added by hand, a view, a trigger) is listed and left alone, unless the
operator asks for `--drop-unknown`. Objects SQL files created are never considered (see
`orm.push.sqlfiles`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orm.push.model import Column, DbSchema

__all__ = ["DiffScope", "ObjectKey", "SameDefault", "managed_objects"]

ObjectKey = tuple[str, str, str]
"""(kind, table, name): kind is table, column, index, constraint or enum (table '' for enums)."""

SameDefault = Callable[[str, Column, Column], bool]
"""(table, wanted, found) → whether their defaults are the same."""


def managed_objects(schema: DbSchema) -> set[ObjectKey]:
    """The keys of every object `schema` asks for: what a push of it leaves db push owning."""
    keys: set[ObjectKey] = {("enum", "", name) for name in schema.enums}
    for name, table in schema.tables.items():
        keys.add(("table", name, name))
        keys |= {("column", name, column.name) for column in table.columns}
        if table.primary_key is not None:
            keys.add(("constraint", name, table.primary_key.name))
    keys |= {("index", index.table, index.name) for index in schema.indexes.values()}
    keys |= {("constraint", fk.table, fk.name) for fk in schema.foreign_keys.values()}
    return keys


@dataclass(frozen=True)
class DiffScope:
    """Facts the pure diff needs about the database beyond its catalog.

    `populated`: existing tables that hold rows. `owned`: what earlier pushes recorded (None
    when nothing is recorded, e.g. a database pushed by an older version: then nothing absent
    from the schema counts as owned). `concurrent`: whether indexes on populated tables may be
    built with CREATE INDEX CONCURRENTLY (not inside the push's transaction).
    """

    populated: frozenset[str]
    same_default: SameDefault
    owned: frozenset[ObjectKey] | None = None
    drop_unknown: bool = False
    concurrent: bool = True

    def manages(self, key: ObjectKey) -> bool:
        return self.drop_unknown or (self.owned is not None and key in self.owned)
