"""SQLAlchemy `Table`s for the models: built once, used by every query and by `create_all`.

`build_tables(models, enums, metadata, schema=None)` adds one table per model plus one per
implicit m-n relation (`_<relation>` with columns `A` and `B`), named and typed as `prisma db push`
would create them: enum types, native types, `NOT NULL`, server defaults (`now()`, literals,
`autoincrement()` as serial), primary keys, uniques, indexes and foreign keys with their
referential actions. cuid() and uuid() ids have no server default: the client fills them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.types import TypeEngine

from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import EnumMeta, ModelMeta, RelationField, ScalarField
from orm.runtime.types import JsonValue

__all__ = ["build_tables", "column_type"]

SqlType = TypeEngine[JsonValue]

_ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}


def _scalar_type(type_name: str, native: tuple[str, tuple[str, ...]] | None) -> SqlType:
    name, args = native if native else ("", ())
    nums = [int(a) for a in args if a.isdigit()]
    length = nums[0] if nums else None
    if name in ("VarChar", "Char"):
        return pg.VARCHAR(length) if name == "VarChar" else pg.CHAR(length)
    if name == "Uuid":
        return pg.UUID(as_uuid=False)
    if name in ("Timestamptz", "Timestamp", "Date", "Time"):
        return _time_type(name, nums)
    if type_name == "Decimal" or name == "Decimal":
        precision, scale = (nums + [65, 30][len(nums) :])[:2] if nums else (65, 30)
        return cast(SqlType, pg.NUMERIC(precision, scale))
    if name == "SmallInt":
        return pg.SMALLINT()
    if name == "Real":
        return pg.REAL()
    if name == "Json":
        return pg.JSON()
    simple: dict[str, SqlType] = {
        "String": pg.TEXT(),
        "Int": pg.INTEGER(),
        "BigInt": BigInteger(),
        "Float": pg.DOUBLE_PRECISION(),
        "Boolean": Boolean(),
        "DateTime": pg.TIMESTAMP(precision=3),
        "Json": pg.JSONB(),
        "Bytes": pg.BYTEA(),
    }
    return simple[type_name]


def _time_type(name: str, nums: list[int]) -> SqlType:
    precision = nums[0] if nums else 3
    if name == "Date":
        return pg.DATE()
    if name == "Time":
        return pg.TIME(precision=precision)
    return pg.TIMESTAMP(timezone=name == "Timestamptz", precision=precision)


def column_type(field: ScalarField, enums: Mapping[str, pg.ENUM]) -> SqlType:
    base = enums[field.type] if field.is_enum else _scalar_type(field.type, field.native_type)
    return cast(SqlType, pg.ARRAY(base)) if field.is_list else base


def _mapped_default(field: ScalarField) -> JsonValue:
    """The default as stored: an enum's members by their `@map`ped values."""
    default = field.default
    if field.enum is None or default is None or is_mapping(default):
        return default
    db_values = field.enum.db_values
    if isinstance(default, list):
        return [db_values[str(v)] for v in cast(list[JsonValue], default)]
    return db_values[str(default)]


def _server_default(field: ScalarField) -> str | None:
    default = _mapped_default(field)
    if is_mapping(default):
        fn = default["name"]
        if fn == "now":
            return "CURRENT_TIMESTAMP"
        if fn == "dbgenerated":
            args = cast(Sequence[str], default.get("args") or [])
            return args[0] if args else None
        return None
    if default is None:
        return None
    if isinstance(default, list):
        items = ",".join(str(v) for v in cast(list[JsonValue], default))
        return f"'{{{items}}}'"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, int | float):
        return str(default)
    return "'" + str(default).replace("'", "''") + "'"


def _column(
    field: ScalarField, enums: Mapping[str, pg.ENUM], *, single_pk: bool
) -> Column[JsonValue]:
    default = field.default
    autoincrement = is_mapping(default) and default["name"] == "autoincrement"
    server_default = None if autoincrement else _server_default(field)
    return Column(
        field.column,
        column_type(field, enums),
        key=field.name,
        nullable=field.is_list or not field.is_required,  # as Prisma: lists may be NULL
        autoincrement=autoincrement and single_pk and field.is_id,
        server_default=text(server_default) if server_default else None,
    )


def _model_table(
    model: ModelMeta,
    models: Mapping[str, ModelMeta],
    enums: Mapping[str, pg.ENUM],
    metadata: MetaData,
) -> Table:
    single_pk = len(model.id_fields) == 1
    table = Table(
        model.db_name,
        metadata,
        *(_column(f, enums, single_pk=single_pk) for f in model.scalars.values()),
        PrimaryKeyConstraint(*model.id_fields, name=f"{model.db_name}_pkey"),
    )
    for fields in model.unique_sets[1:] if model.id_fields else model.unique_sets:
        cols = [model.scalars[f].column for f in fields]
        table.append_constraint(
            UniqueConstraint(*fields, name=f"{model.db_name}_{'_'.join(cols)}_key")
        )
    for relation in model.relations.values():
        if relation.kind == "inline_here":
            table.append_constraint(_foreign_key(model, relation, models, metadata))
    return table


def _foreign_key(
    model: ModelMeta, relation: RelationField, models: Mapping[str, ModelMeta], metadata: MetaData
) -> ForeignKeyConstraint:
    target = models[relation.target]
    cols = [model.scalars[f].column for f in relation.local_fields]
    prefix = f"{metadata.schema}." if metadata.schema else ""
    refs = [f"{prefix}{target.db_name}.{f}" for f in relation.remote_fields]
    optional = not relation.is_required
    on_delete = relation.on_delete or ("SetNull" if optional else "Restrict")
    return ForeignKeyConstraint(
        list(relation.local_fields),
        refs,
        name=f"{model.db_name}_{'_'.join(cols)}_fkey",
        ondelete=_ACTIONS[on_delete],
        onupdate=_ACTIONS[relation.on_update or "Cascade"],
    )


def _join_table(
    relation: RelationField,
    models: Mapping[str, ModelMeta],
    enums: Mapping[str, pg.ENUM],
    metadata: MetaData,
) -> Table:
    name = cast(str, relation.join_table)
    here, there = models[relation.model], models[relation.target]
    sides = {relation.join_local: here, relation.join_remote: there}
    prefix = f"{metadata.schema}." if metadata.schema else ""
    cols: list[Column[JsonValue]] = []
    fks: list[ForeignKeyConstraint] = []
    for letter in ("A", "B"):
        side = sides[letter]
        id_field = side.scalars[side.id_fields[0]]
        cols.append(
            Column(letter, _scalar_type(id_field.type, id_field.native_type), nullable=False)
        )
        ref = f"{prefix}{side.db_name}.{id_field.name}"
        fks.append(
            ForeignKeyConstraint(
                [letter],
                [ref],
                name=f"{name}_{letter}_fkey",
                ondelete="CASCADE",
                onupdate="CASCADE",
            )
        )
    table = Table(
        name, metadata, *cols, PrimaryKeyConstraint("A", "B", name=f"{name}_AB_pkey"), *fks
    )
    Index(f"{name}_B_index", table.c.B)
    return table


def _indexes(
    models: Mapping[str, ModelMeta], tables: Mapping[str, Table], indexes: Sequence[JsonValue]
) -> None:
    for raw in indexes:
        if raw["type"] != "normal":
            continue
        model = models[raw["model"]]
        table = tables[model.name]
        exprs: list[JsonValue] = []
        names: list[str] = []
        for f in raw["fields"]:
            field_name: str = f["name"]
            col: ColumnElement[JsonValue] = table.c[field_name]
            names.append(model.scalars[field_name].column)
            exprs.append(col.desc() if f.get("sortOrder") == "desc" else col)
        index_name = raw.get("dbName") or f"{model.db_name}_{'_'.join(names)}_idx"
        algorithm = raw.get("algorithm")
        if algorithm and algorithm != "BTree":
            Index(index_name, *exprs, postgresql_using=str(algorithm).lower())
        else:
            Index(index_name, *exprs)


def build_tables(
    models: Mapping[str, ModelMeta],
    enum_types: Mapping[str, EnumMeta],
    metadata: MetaData,
    indexes: Sequence[JsonValue] = (),
) -> tuple[dict[str, Table], dict[str, Table]]:
    """Model name → table, and join-table name → table, all added to `metadata`.

    Enum types carry their database names and values (`@@map`, `@map`), so parameters are cast
    to the type that exists and `create_all` creates the same one `db push` does."""
    enums = {
        name: pg.ENUM(
            *enum.db_values.values(),
            name=enum.db_name,
            metadata=metadata,
            schema=metadata.schema,
        )
        for name, enum in enum_types.items()
    }
    tables = {m.name: _model_table(m, models, enums, metadata) for m in models.values()}
    joins: dict[str, Table] = {}
    for model in models.values():
        for relation in model.relations.values():
            if relation.kind == "m2m" and relation.join_table not in joins:
                joins[cast(str, relation.join_table)] = _join_table(
                    relation, models, enums, metadata
                )
    _indexes(models, tables, indexes)
    return tables, joins
