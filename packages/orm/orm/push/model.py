"""The shape `db push` compares: one class per database object, shared by wanted and found state.

The desired state comes from the DMMF (`orm.push.desired`), the actual one from the catalog
(`orm.push.introspect`); `orm.push.diff` compares the two. Names are database names throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Column",
    "ColumnType",
    "DbSchema",
    "EnumType",
    "ForeignKey",
    "Index",
    "IndexColumn",
    "PrimaryKey",
    "Table",
]


@dataclass(frozen=True)
class ColumnType:
    """`ddl` is what CREATE TABLE says; `canon` is how `format_type` reports it.

    `canon` is what gets compared: `VARCHAR(100)` and `character varying(100)` are one type.
    Enums compare as `enum:<name>`.
    """

    ddl: str
    canon: str
    is_list: bool = False

    @property
    def sql(self) -> str:
        return f"{self.ddl}[]" if self.is_list else self.ddl

    @property
    def enum(self) -> str | None:
        return self.canon.removeprefix("enum:") if self.canon.startswith("enum:") else None


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool
    default: str | None = None
    autoincrement: bool = False


@dataclass(frozen=True)
class PrimaryKey:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: PrimaryKey | None = None

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class IndexColumn:
    """One key column. `opclass` None means the type's default operator class.

    Found indexes also carry the name of the class in use (`used_opclass`), so that a schema
    spelling out the default class (`ops: JsonbOps` on a GIN index) still matches.
    """

    name: str
    descending: bool = False
    opclass: str | None = None
    used_opclass: str | None = field(default=None, compare=False)

    def matches(self, wanted: IndexColumn) -> bool:
        if (self.name, self.descending) != (wanted.name, wanted.descending):
            return False
        return wanted.opclass in {self.opclass, self.used_opclass}


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    columns: tuple[IndexColumn, ...]
    unique: bool = False
    method: str = "btree"
    valid: bool = True
    is_constraint: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str
    on_update: str
    ref_index: str | None = field(default=None, compare=False)
    """The unique index (or primary key) of `ref_table` the key relies on, when read back."""


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[str, ...]


@dataclass
class DbSchema:
    """Everything `db push` manages in one PostgreSQL schema, keyed by database name."""

    enums: dict[str, EnumType] = field(default_factory=dict[str, EnumType])
    tables: dict[str, Table] = field(default_factory=dict[str, Table])
    indexes: dict[str, Index] = field(default_factory=dict[str, Index])
    foreign_keys: dict[tuple[str, str], ForeignKey] = field(
        default_factory=dict[tuple[str, str], ForeignKey]
    )
    unmanaged_indexes: dict[str, str] = field(default_factory=dict[str, str])
    """Indexes push leaves alone (expression or partial ones, SQL-file ones): name → table."""
    temp_indexes: dict[str, Index] = field(default_factory=dict[str, Index])
    """Indexes a push built concurrently under a temporary name (see `temp_index_name`) and
    was stopped before swapping in: reused when they match, dropped otherwise."""
