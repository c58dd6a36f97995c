"""Reading the DMMF `datamodel` into `ModelMeta` objects (no tables yet)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import (
    ClientDefault,
    EnumMeta,
    ModelMeta,
    RelationField,
    ScalarField,
)
from orm.runtime.types import JsonValue

__all__ = ["parse_enums", "parse_models"]

Dmmf = Mapping[str, JsonValue]

_CLIENT_DEFAULTS: dict[str, ClientDefault] = {"cuid": "cuid", "uuid": "uuid", "now": "now"}


def parse_enums(datamodel: Dmmf) -> dict[str, EnumMeta]:
    """Enum name → its database type name and values (`@@map`, `@map`; else the names)."""
    enums: dict[str, EnumMeta] = {}
    for raw in cast(Sequence[Dmmf], datamodel.get("enums", [])):
        values = {v["name"]: v.get("dbName") or v["name"] for v in raw["values"]}
        enums[raw["name"]] = EnumMeta(raw["name"], raw.get("dbName") or raw["name"], values)
    return enums


def parse_models(
    datamodel: Dmmf, enums: Mapping[str, EnumMeta] | None = None
) -> dict[str, ModelMeta]:
    raw_models: list[Dmmf] = list(datamodel.get("models", []))
    by_name = {m["name"]: m for m in raw_models}
    enums = parse_enums(datamodel) if enums is None else enums
    models: dict[str, ModelMeta] = {}
    for raw in raw_models:
        scalars = {f["name"]: _scalar(f, enums) for f in raw["fields"] if f["kind"] != "object"}
        relations = {
            f["name"]: _relation(raw, f, by_name) for f in raw["fields"] if f["kind"] == "object"
        }
        id_fields, compound = _keys(raw)
        uniques = [id_fields] if id_fields else []
        uniques += [(name,) for name, f in scalars.items() if f.is_unique]
        uniques += [tuple(u["fields"]) for u in raw.get("uniqueIndexes", [])]
        models[raw["name"]] = ModelMeta(
            name=raw["name"],
            db_name=raw.get("dbName") or raw["name"],
            scalars=scalars,
            relations=relations,
            id_fields=id_fields,
            compound_keys=compound,
            unique_sets=tuple(uniques),
        )
    return models


def _scalar(raw: Dmmf, enums: Mapping[str, EnumMeta]) -> ScalarField:
    default = raw.get("default")
    client: ClientDefault | None = None
    has_db_default = raw.get("hasDefaultValue", False)
    if is_mapping(default):
        fn = cast(str, default["name"])
        client = _CLIENT_DEFAULTS.get(fn)
        has_db_default = fn not in ("cuid", "uuid")
    native = raw.get("nativeType")
    return ScalarField(
        name=raw["name"],
        column=raw.get("dbName") or raw["name"],
        type=raw["type"],
        is_enum=raw["kind"] == "enum",
        is_list=raw["isList"],
        is_required=raw["isRequired"],
        is_id=raw["isId"],
        is_unique=raw["isUnique"],
        is_updated_at=raw.get("isUpdatedAt", False),
        default=default,
        has_db_default=has_db_default,
        client_default=client,
        native_type=(native[0], tuple(native[1])) if native else None,
        enum=enums.get(raw["type"]) if raw["kind"] == "enum" else None,
    )


def _keys(raw: Dmmf) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    compound: dict[str, tuple[str, ...]] = {}
    pk = raw.get("primaryKey")
    if pk:
        id_fields = tuple(pk["fields"])
        compound[pk.get("name") or "_".join(id_fields)] = id_fields
    else:
        id_fields = tuple(f["name"] for f in raw["fields"] if f.get("isId"))
    for unique in raw.get("uniqueIndexes", []):
        fields = tuple(unique["fields"])
        if len(fields) > 1:
            compound[unique.get("name") or "_".join(fields)] = fields
    return id_fields, compound


def _relation(model: Dmmf, raw: Dmmf, by_name: Mapping[str, Dmmf]) -> RelationField:
    target = by_name[raw["type"]]
    common = {
        "name": raw["name"],
        "model": model["name"],
        "target": target["name"],
        "is_list": raw["isList"],
        "is_required": raw["isRequired"],
        "relation_name": raw["relationName"],
    }
    if raw.get("relationFromFields"):
        return RelationField(
            **common,
            kind="inline_here",
            local_fields=tuple(raw["relationFromFields"]),
            remote_fields=tuple(raw["relationToFields"]),
            on_delete=raw.get("relationOnDelete"),
            on_update=raw.get("relationOnUpdate"),
        )
    other = _opposite(model, raw, target)
    if other.get("relationFromFields"):
        return RelationField(
            **common,
            kind="inline_there",
            local_fields=tuple(other["relationToFields"]),
            remote_fields=tuple(other["relationFromFields"]),
        )
    # Implicit m-n: Prisma's `_<relation name>` table; column A points at the side whose
    # (model name, field name) sorts first, B at the other.
    here_is_a = (model["name"], raw["name"]) < (target["name"], other["name"])
    return RelationField(
        **common,
        kind="m2m",
        local_fields=_id_fields(model),
        remote_fields=_id_fields(target),
        join_table=f"_{raw['relationName']}",
        join_local="A" if here_is_a else "B",
        join_remote="B" if here_is_a else "A",
    )


def _opposite(model: Dmmf, raw: Dmmf, target: Dmmf) -> Dmmf:
    for candidate in cast(Sequence[Dmmf], target["fields"]):
        if (
            candidate["kind"] == "object"
            and candidate.get("relationName") == raw["relationName"]
            and not (target["name"] == model["name"] and candidate["name"] == raw["name"])
        ):
            return candidate
    raise ValueError(f"{model['name']}.{raw['name']}: no opposite relation field in the DMMF")


def _id_fields(model: Dmmf) -> tuple[str, ...]:
    return _keys(model)[0]
