"""The per-model input types of `types.py`: create, update, where, order, include, aggregates.

Names follow prisma-client-py (`UserCreateInput`, `UserWhereUniqueInput`, `UserOrderByInput`,
`UserInclude`, `FindManyUserArgs`, ...) so code written against it type-checks here too.
"""

from __future__ import annotations

from orm.generator.dmmf import Model, ModelField
from orm.generator.ir.nodes import AliasDef, DictKey, TypedDictDef, TypeDef
from orm.generator.ir.scalars import INPUT_TYPES, NUMBER_TYPES, typed_dict

__all__ = ["input_type", "is_relation", "is_scalar", "write_types"]


def is_relation(field: ModelField) -> bool:
    return field.kind == "object"


def is_scalar(field: ModelField) -> bool:
    return field.kind in ("scalar", "enum")


def input_type(field: ModelField) -> str:
    """The Python type a query takes for one value of a scalar or enum field."""
    if field.kind == "enum":
        return f"enums.{field.type}"
    return INPUT_TYPES[field.type]


def _nullable(field: ModelField, typ: str) -> str:
    return typ if field.is_required else f"{typ} | None"


def _required_on_create(field: ModelField, foreign_keys: frozenset[str]) -> bool:
    """Foreign keys and relations stay optional: either `authorId` or `author: {connect: ...}`
    sets the same column, and a nested create sets its parent's key itself."""
    return (
        is_scalar(field)
        and field.is_required
        and not field.has_default_value
        and not field.is_updated_at
        and not field.is_list
        and field.name not in foreign_keys
    )


def _foreign_keys(model: Model) -> frozenset[str]:
    return frozenset(name for f in model.fields for name in f.relation_from_fields)


def _create_value(field: ModelField) -> str:
    if is_relation(field):
        suffix = (
            "CreateManyNestedWithoutRelationsInput"
            if field.is_list
            else "CreateNestedWithoutRelationsInput"
        )
        return f"{field.type}{suffix}"
    typ = input_type(field)
    return f"list[{typ}]" if field.is_list else _nullable(field, typ)


def _update_value(field: ModelField) -> str:
    if is_relation(field):
        suffix = (
            "UpdateManyWithoutRelationsInput" if field.is_list else "UpdateOneWithoutRelationsInput"
        )
        return f"{field.type}{suffix}"
    typ = input_type(field)
    if field.is_list:
        name = field.type
        return f"{name}ListUpdate"
    if field.type in NUMBER_TYPES:
        typ = f"Atomic{field.type}Input | {typ}"
    return _nullable(field, typ)


def _writable(model: Model) -> list[ModelField]:
    """Fields a write may set. Prisma marks foreign keys read-only (its "checked" inputs only take
    the relation); like its "unchecked" inputs we accept them too."""
    return [f for f in model.fields if is_scalar(f) or is_relation(f)]


def _total(name: str, **keys: str) -> TypedDictDef:
    return typed_dict(name, [DictKey(k, t) for k, t in keys.items()], total=True)


def _partial(name: str, doc: str, **keys: str) -> TypedDictDef:
    return typed_dict(name, [DictKey(k, t) for k, t in keys.items()], doc=doc)


def _many(name: str) -> str:
    return f"{name} | list[{name}]"


def create_types(model: Model) -> list[TypeDef]:
    m, fks = model.name, _foreign_keys(model)
    fields = _writable(model)

    def keys(relations: bool) -> list[DictKey]:
        return [
            DictKey(f.name, _create_value(f), _required_on_create(f, fks))
            for f in fields
            if relations or not is_relation(f)
        ]

    return [
        typed_dict(f"{m}CreateInput", keys(True), doc=f"Data for creating a {m} record."),
        typed_dict(
            f"{m}CreateWithoutRelationsInput", keys(False), doc=f"A {m} row for `create_many`."
        ),
        _total(f"{m}CreateOrConnectInput", where=f"{m}WhereUniqueInput", create=f"{m}CreateInput"),
        typed_dict(
            f"{m}CreateManyNestedInput",
            [
                DictKey("data", f"list[{m}CreateWithoutRelationsInput]", True),
                DictKey("skip_duplicates", "bool"),
            ],
        ),
        _partial(
            f"{m}CreateNestedWithoutRelationsInput",
            f"Create or attach the one related {m} while writing its parent.",
            create=f"{m}CreateInput",
            connect=f"{m}WhereUniqueInput",
            connect_or_create=f"{m}CreateOrConnectInput",
        ),
        _partial(
            f"{m}CreateManyNestedWithoutRelationsInput",
            f"Create or attach related {m} records while creating their parent.",
            create=_many(f"{m}CreateInput"),
            create_many=f"{m}CreateManyNestedInput",
            connect=_many(f"{m}WhereUniqueInput"),
            connect_or_create=_many(f"{m}CreateOrConnectInput"),
        ),
    ]


def update_types(model: Model) -> list[TypeDef]:
    m = model.name
    fields = _writable(model)
    scalars = [f for f in fields if not is_relation(f)]
    return [
        typed_dict(
            f"{m}UpdateInput",
            [DictKey(f.name, _update_value(f)) for f in fields],
            doc=f"Changes to one {m} record.",
        ),
        typed_dict(
            f"{m}UpdateManyMutationInput",
            [DictKey(f.name, _update_value(f)) for f in scalars],
            doc=f"Changes applied to every matching {m} record.",
        ),
        _total(f"{m}UpsertInput", create=f"{m}CreateInput", update=f"{m}UpdateInput"),
        *_nested_update_types(m),
    ]


def _nested_update_types(m: str) -> list[TypeDef]:
    unique = f"{m}WhereUniqueInput"
    return [
        _total(f"{m}UpdateWithWhereUniqueInput", where=unique, data=f"{m}UpdateInput"),
        _total(
            f"{m}UpdateManyWithWhereInput",
            where=f"{m}WhereInput",
            data=f"{m}UpdateManyMutationInput",
        ),
        _total(
            f"{m}UpsertWithWhereUniqueInput",
            where=unique,
            create=f"{m}CreateInput",
            update=f"{m}UpdateInput",
        ),
        _partial(
            f"{m}UpdateOneWithoutRelationsInput",
            f"Change the one related {m} while updating its parent.",
            create=f"{m}CreateInput",
            connect=unique,
            connect_or_create=f"{m}CreateOrConnectInput",
            disconnect="bool",
            delete="bool",
            update=f"{m}UpdateInput",
            upsert=f"{m}UpsertInput",
        ),
        _partial(
            f"{m}UpdateManyWithoutRelationsInput",
            f"Change related {m} records while updating their parent.",
            create=_many(f"{m}CreateInput"),
            create_many=f"{m}CreateManyNestedInput",
            connect=_many(unique),
            connect_or_create=_many(f"{m}CreateOrConnectInput"),
            set=f"list[{unique}]",
            disconnect=_many(unique),
            delete=_many(unique),
            update=_many(f"{m}UpdateWithWhereUniqueInput"),
            update_many=_many(f"{m}UpdateManyWithWhereInput"),
            delete_many=_many(f"{m}WhereInput"),
            upsert=_many(f"{m}UpsertWithWhereUniqueInput"),
        ),
    ]


def write_types(model: Model) -> list[TypeDef]:
    return [*create_types(model), *update_types(model)]


def unique_types(model: Model) -> list[TypeDef]:
    """`<Model>WhereUniqueInput`: one key per unique field, or a compound key such as
    `{"userId_teamId": {"userId": ..., "teamId": ...}}` (Prisma's default compound name)."""
    m = model.name
    by_name = {f.name: f for f in model.fields}
    out: list[TypeDef] = []
    variants: list[str] = []
    for f in model.fields:
        if is_scalar(f) and (f.is_id or f.is_unique) and not f.is_list:
            name = f"_{m}WhereUnique_{f.name}_Input"
            out.append(typed_dict(name, [DictKey(f.name, input_type(f))], total=True))
            variants.append(name)
    compounds: list[tuple[str, str, tuple[str, ...]]] = []
    if model.primary_key is not None:
        key = model.primary_key
        compounds.append((f"_{m}CompoundPrimaryKey", key.name or "_".join(key.fields), key.fields))
    for index in model.unique_indexes:
        key_name = index.name or "_".join(index.fields)
        compounds.append((f"_{m}Compound{key_name}Key", key_name, index.fields))
    for name, key_name, fields in compounds:
        inner = [DictKey(f, input_type(by_name[f])) for f in fields]
        out.append(typed_dict(f"{name}Inner", inner, total=True))
        out.append(typed_dict(name, [DictKey(key_name, f"{name}Inner")], total=True))
        variants.append(name)
    out.append(AliasDef(f"{m}WhereUniqueInput", " | ".join(variants)))
    return out
