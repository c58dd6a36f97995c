"""What the compiler knows about one model: its scalar fields, relations, keys and table.

Built once per schema by `orm.runtime.meta.SchemaMeta.from_datamodel`; every query reads these
objects and never re-derives names, so per-query work stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from enum import Enum

    from sqlalchemy import ColumnElement, Select, Table
    from sqlalchemy.sql.dml import ReturningDelete, ReturningInsert, ReturningUpdate

    from orm.runtime.models import BaseModel
    from orm.runtime.query.builders import Layout

__all__ = [
    "ClientDefault",
    "Converter",
    "EnumMeta",
    "LinkKind",
    "ModelMeta",
    "RelationField",
    "ScalarField",
    "Statements",
]

ClientDefault = Literal["cuid", "uuid", "now"]
LinkKind = Literal["inline_here", "inline_there", "m2m"]
Converter = Callable[[JsonValue], JsonValue]


@dataclass(slots=True, frozen=True)
class EnumMeta:
    """An enum as the database knows it: `@@map` names the type, `@map` a value."""

    name: str
    db_name: str
    db_values: dict[str, str]
    """Member name (what the client sends and returns) → the value stored."""


@dataclass(slots=True, eq=False)
class ScalarField:
    name: str
    column: str
    type: str
    """A Prisma scalar (`String`, `Int`, ...) or, when `is_enum`, the enum's name."""
    is_enum: bool
    is_list: bool
    is_required: bool
    is_id: bool
    is_unique: bool
    is_updated_at: bool
    default: JsonValue
    has_db_default: bool
    client_default: ClientDefault | None
    native_type: tuple[str, tuple[str, ...]] | None
    enum: EnumMeta | None = None
    """For an enum field, its type: writes and filters send `enum.db_values[member]`."""

    @property
    def needs_value(self) -> bool:
        """Required on create: no default of any kind fills it in."""
        return (
            self.is_required
            and not self.is_list
            and not self.has_db_default
            and self.client_default is None
            and not self.is_updated_at
        )


@dataclass(slots=True, eq=False)
class RelationField:
    """A relation field seen from `model`.

    `inline_here`: `model` holds the foreign key (`local_fields` → target's `remote_fields`).
    `inline_there`: the target holds it (`remote_fields` on the target → our `local_fields`).
    `m2m`: rows of `join_table` pair `join_local` (our id) with `join_remote` (the target's id);
    for an explicit m-n the join model is an ordinary model and both sides are inline.
    """

    name: str
    model: str
    target: str
    is_list: bool
    is_required: bool
    relation_name: str
    kind: LinkKind
    local_fields: tuple[str, ...]
    remote_fields: tuple[str, ...]
    join_table: str | None = None
    join_local: str | None = None
    join_remote: str | None = None
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(slots=True, frozen=True)
class Statements:
    """Statement prefixes built once per model: SQLAlchemy statements are immutable, and
    `.where()` / `.values()` copy them, so queries start from these instead of coercing every
    column again."""

    select: Select[JsonValue]
    insert: ReturningInsert[JsonValue]
    update: ReturningUpdate[JsonValue]
    delete: ReturningDelete[JsonValue]


_TABLE_SLOTS = frozenset({"table", "columns", "select_columns", "statements"})


@dataclass(slots=True, eq=False)
class ModelMeta:
    name: str
    db_name: str
    scalars: dict[str, ScalarField]
    relations: dict[str, RelationField]
    id_fields: tuple[str, ...]
    compound_keys: dict[str, tuple[str, ...]]
    """Where-unique keys that name several fields: `{"name_surname": ("firstName", "lastName")}`."""
    unique_sets: tuple[tuple[str, ...], ...]
    """Every set of fields that identifies one row (the id first)."""
    table: Table = field(init=False)
    columns: dict[str, ColumnElement[JsonValue]] = field(init=False)
    """Field name → column of `table`."""
    select_columns: tuple[ColumnElement[JsonValue], ...] = field(init=False)
    """Every scalar column labelled with its field name, as reads select them."""
    statements: Statements = field(init=False)
    model_class: type[BaseModel] | None = None
    enum_classes: dict[str, type[Enum]] = field(default_factory=lambda: {})
    converters: tuple[tuple[str, Converter], ...] = ()
    """(field, function) for each field whose database value needs converting on read."""
    list_fields: tuple[str, ...] = ()
    """Scalar list fields: NULL in the database reads as an empty list."""
    template: dict[str, JsonValue] | None = None
    """Every field of `model_class` in order with its default, when instances can be built by
    setting `__dict__` directly (no aliases, private attributes or post-init hooks)."""
    layouts: dict[tuple[str, ...], Layout] = field(default_factory=lambda: {})
    """Row builders by column labels (see `builders.layout`); emptied when classes are bound."""
    create_fills: tuple[ScalarField, ...] | None = None
    """The fields a create without them fills in or refuses (a client default, `@updatedAt`,
    or required with no default), in field order; made on first use (`write.scalars`)."""
    build_tables: Callable[[], None] | None = None
    """Set until the schema's tables are built: `table`, `columns`, `select_columns` and
    `statements` are filled in on first access (see `SchemaMeta._build_tables`)."""

    def __getattr__(self, name: str) -> JsonValue:
        # Only reached while a slot is unset: once built, attribute access costs nothing extra.
        if name in _TABLE_SLOTS and self.build_tables is not None:
            self.build_tables()
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    def scalar(self, name: str) -> ScalarField | None:
        return self.scalars.get(name)
