"""The database a DMMF datamodel asks for, named the way Prisma names it on PostgreSQL.

Implicit many-to-many relations get Prisma's join table `_<RelationName>` with columns `A` and
`B` (A points at the model whose name sorts first), a composite primary key `_<Rel>_AB_pkey`,
an index `_<Rel>_B_index` and cascading foreign keys. Relation defaults follow Prisma: ON DELETE
SET NULL for optional relations, RESTRICT for required ones, ON UPDATE CASCADE.
"""

from __future__ import annotations

import re

from orm.push.columns import column_for, column_type
from orm.push.dmmf import Datamodel, DmmfIndex, DmmfModel, JsonValue, parse_datamodel
from orm.push.model import (
    Column,
    ColumnType,
    DbSchema,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Table,
)
from orm.push.names import foreign_key_name, index_name, primary_key_name, truncate, unique_name

__all__ = ["desired_schema", "operator_class", "referential_action"]

_ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}
# Prisma's operator class names, spelled the way PostgreSQL spells the type part.
_OPCLASS_WORDS = {
    "MinMax": "Minmax",
    "VarBit": "Varbit",
    "TimestampTz": "Timestamptz",
    "TimeTz": "Timetz",
    "MacAddr8": "Macaddr8",
    "MacAddr": "Macaddr",
    "PgLsn": "Pg_lsn",
}


def referential_action(prisma_name: str) -> str:
    return _ACTIONS[prisma_name]


def operator_class(prisma_name: str | None) -> str | None:
    """`JsonbPathOps` → `jsonb_path_ops`; a `raw("...")` class arrives as SQL and stays as is."""
    if prisma_name is None or not prisma_name[:1].isupper():
        return prisma_name
    name = prisma_name
    for word, replacement in _OPCLASS_WORDS.items():
        name = name.replace(word, replacement)
    return re.sub(r"(?<!^)(?<!_)([A-Z])", r"_\1", name).lower()


def _table(model: DmmfModel, datamodel: Datamodel) -> Table:
    columns = tuple(
        column_for(f, datamodel) for f in model.scalar_fields if f.kind in {"scalar", "enum"}
    )
    return Table(model.db_name, columns)


def _index(entry: DmmfIndex, model: DmmfModel) -> Index:
    columns = tuple(
        IndexColumn(model.field(f.name).db_name, f.descending, operator_class(f.operator_class))
        for f in entry.fields
    )
    names = [c.name for c in columns]
    unique = entry.type == "unique"
    default = (unique_name if unique else index_name)(model.db_name, names)
    return Index(
        name=entry.db_name or default,
        table=model.db_name,
        columns=columns,
        unique=unique,
        method=(entry.algorithm or "BTree").lower(),
    )


def _add_indexes(schema: DbSchema, datamodel: Datamodel) -> None:
    for entry in datamodel.indexes:
        model = datamodel.model(entry.model)
        table = schema.tables[model.db_name]
        if entry.type == "id":
            columns = tuple(model.field(f.name).db_name for f in entry.fields)
            pk = PrimaryKey(entry.db_name or primary_key_name(table.name), columns)
            schema.tables[table.name] = Table(table.name, table.columns, pk)
        elif entry.type in {"unique", "normal"}:
            index = _index(entry, model)
            schema.indexes[index.name] = index


def _add_foreign_keys(schema: DbSchema, datamodel: Datamodel) -> None:
    for model in datamodel.models:
        for field in model.fields:
            if field.kind != "object" or not field.relation_from:
                continue
            target = datamodel.model(field.type)
            columns = tuple(model.field(n).db_name for n in field.relation_from)
            default_delete = "Restrict" if field.is_required else "SetNull"
            fk = ForeignKey(
                name=foreign_key_name(model.db_name, list(columns)),
                table=model.db_name,
                columns=columns,
                ref_table=target.db_name,
                ref_columns=tuple(target.field(n).db_name for n in field.relation_to),
                on_delete=referential_action(field.on_delete or default_delete),
                on_update=referential_action(field.on_update or "Cascade"),
            )
            schema.foreign_keys[(fk.table, fk.name)] = fk


def _implicit_relations(datamodel: Datamodel) -> dict[str, list[str]]:
    """Relation name → the two model names, for implicit many-to-many relations."""
    sides: dict[str, list[tuple[str, bool]]] = {}
    for model in datamodel.models:
        for field in model.fields:
            if field.kind == "object" and field.relation_name:
                implicit = field.is_list and not field.relation_from
                sides.setdefault(field.relation_name, []).append((model.name, implicit))
    return {
        name: sorted(model for model, _ in pairs)
        for name, pairs in sides.items()
        if len(pairs) == 2 and all(implicit for _, implicit in pairs)
    }


def _join_column(name: str, model: DmmfModel, datamodel: Datamodel) -> Column:
    id_field = next(f for f in model.scalar_fields if f.is_id)
    type_ = column_type(id_field, datamodel)
    return Column(name, ColumnType(type_.ddl, type_.canon), nullable=False)


def _add_join_tables(schema: DbSchema, datamodel: Datamodel) -> None:
    for relation, (first, second) in _implicit_relations(datamodel).items():
        table = f"_{relation}"
        models = {"A": datamodel.model(first), "B": datamodel.model(second)}
        columns = tuple(_join_column(side, m, datamodel) for side, m in models.items())
        pk = PrimaryKey(truncate(f"{table}_AB_pkey"), ("A", "B"))
        schema.tables[table] = Table(table, columns, pk)
        index = Index(truncate(f"{table}_B_index"), table, (IndexColumn("B"),))
        schema.indexes[index.name] = index
        for side, model in models.items():
            id_column = next(f.db_name for f in model.scalar_fields if f.is_id)
            fk = ForeignKey(
                truncate(f"{table}_{side}_fkey"),
                table,
                (side,),
                model.db_name,
                (id_column,),
                on_delete="CASCADE",
                on_update="CASCADE",
            )
            schema.foreign_keys[(table, fk.name)] = fk


def desired_schema(raw: dict[str, JsonValue]) -> DbSchema:
    """What the database should hold for the DMMF `datamodel` dict `raw`."""
    datamodel = parse_datamodel(raw)
    schema = DbSchema()
    for enum in datamodel.enums:
        schema.enums[enum.db_name] = EnumType(enum.db_name, enum.values)
    for model in datamodel.models:
        schema.tables[model.db_name] = _table(model, datamodel)
    _add_indexes(schema, datamodel)
    _add_foreign_keys(schema, datamodel)
    _add_join_tables(schema, datamodel)
    return schema
