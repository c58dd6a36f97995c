"""The slice of the DMMF `datamodel` that `db push` reads, as typed, frozen records.

Accepts the dict Prisma hands a generator (`params["dmmf"]["datamodel"]`) or the `DATAMODEL`
a generated client embeds; both are the same JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "Datamodel",
    "DmmfEnum",
    "DmmfField",
    "DmmfIndex",
    "DmmfIndexField",
    "DmmfModel",
    "JsonValue",
    "parse_datamodel",
]

JsonValue = Any


@dataclass(frozen=True)
class DmmfField:
    name: str
    db_name: str
    kind: str  # scalar | enum | object | unsupported
    type: str
    is_list: bool
    is_required: bool
    is_updated_at: bool
    is_id: bool
    native_type: tuple[str, tuple[str, ...]] | None
    default: JsonValue
    has_default: bool
    relation_name: str | None
    relation_from: tuple[str, ...]
    relation_to: tuple[str, ...]
    on_delete: str | None
    on_update: str | None


@dataclass(frozen=True)
class DmmfModel:
    name: str
    db_name: str
    fields: tuple[DmmfField, ...]

    def field(self, name: str) -> DmmfField:
        return next(f for f in self.fields if f.name == name)

    @property
    def scalar_fields(self) -> tuple[DmmfField, ...]:
        return tuple(f for f in self.fields if f.kind in {"scalar", "enum"})


@dataclass(frozen=True)
class DmmfEnum:
    name: str
    db_name: str
    values: tuple[str, ...]
    value_names: tuple[str, ...]

    def db_value(self, name: str) -> str:
        """The database label of the value the schema calls `name` (`@map` on enum values)."""
        return self.values[self.value_names.index(name)] if name in self.value_names else name


@dataclass(frozen=True)
class DmmfIndexField:
    name: str
    descending: bool
    operator_class: str | None


@dataclass(frozen=True)
class DmmfIndex:
    model: str
    type: str  # id | unique | normal | fulltext
    db_name: str | None
    algorithm: str | None
    fields: tuple[DmmfIndexField, ...]


@dataclass(frozen=True)
class Datamodel:
    models: tuple[DmmfModel, ...]
    enums: tuple[DmmfEnum, ...]
    indexes: tuple[DmmfIndex, ...]

    def model(self, name: str) -> DmmfModel:
        return next(m for m in self.models if m.name == name)

    def enum(self, name: str) -> DmmfEnum:
        return next(e for e in self.enums if e.name == name)


def _native(raw: JsonValue) -> tuple[str, tuple[str, ...]] | None:
    if not raw:
        return None
    return str(raw[0]), tuple(str(a) for a in raw[1])


def _field(raw: dict[str, JsonValue]) -> DmmfField:
    name = str(raw["name"])
    return DmmfField(
        name=name,
        db_name=str(raw.get("dbName") or name),
        kind=str(raw["kind"]),
        type=str(raw["type"]),
        is_list=bool(raw.get("isList", False)),
        is_required=bool(raw.get("isRequired", False)),
        is_updated_at=bool(raw.get("isUpdatedAt", False)),
        is_id=bool(raw.get("isId", False)),
        native_type=_native(raw.get("nativeType")),
        default=raw.get("default"),
        has_default="default" in raw,
        relation_name=raw.get("relationName"),
        relation_from=tuple(str(f) for f in raw.get("relationFromFields") or ()),
        relation_to=tuple(str(f) for f in raw.get("relationToFields") or ()),
        on_delete=raw.get("relationOnDelete"),
        on_update=raw.get("relationOnUpdate"),
    )


def _index(raw: dict[str, JsonValue]) -> DmmfIndex:
    return DmmfIndex(
        model=str(raw["model"]),
        type=str(raw["type"]),
        db_name=raw.get("dbName"),
        algorithm=raw.get("algorithm"),
        fields=tuple(
            DmmfIndexField(
                name=str(f["name"]),
                descending=str(f.get("sortOrder") or "asc").lower() == "desc",
                operator_class=f.get("operatorClass"),
            )
            for f in raw["fields"]
        ),
    )


def parse_datamodel(raw: dict[str, JsonValue]) -> Datamodel:
    """Typed records from the DMMF datamodel dict (keys `models`, `enums`, `indexes`)."""
    models = tuple(
        DmmfModel(
            name=str(m["name"]),
            db_name=str(m.get("dbName") or m["name"]),
            fields=tuple(_field(f) for f in m["fields"]),
        )
        for m in raw["models"]
    )
    enums = tuple(
        DmmfEnum(
            name=str(e["name"]),
            db_name=str(e.get("dbName") or e["name"]),
            values=tuple(str(v.get("dbName") or v["name"]) for v in e["values"]),
            value_names=tuple(str(v["name"]) for v in e["values"]),
        )
        for e in raw["enums"]
    )
    indexes = raw["indexes"] if "indexes" in raw else _indexes_from_fields(raw["models"])
    return Datamodel(models, enums, tuple(_index(i) for i in indexes))


def _indexes_from_fields(models: list[dict[str, JsonValue]]) -> list[dict[str, JsonValue]]:
    """Ids and uniques for a DMMF older than the `indexes` list (it knows no plain indexes)."""
    out: list[dict[str, JsonValue]] = []
    for model in models:
        name = model["name"]
        for field in model["fields"]:
            for flag, kind in (("isId", "id"), ("isUnique", "unique")):
                if field.get(flag):
                    out.append({"model": name, "type": kind, "fields": [{"name": field["name"]}]})
        if model.get("primaryKey"):
            fields = [{"name": f} for f in model["primaryKey"]["fields"]]
            out.append({"model": name, "type": "id", "fields": fields})
        for unique in model.get("uniqueIndexes") or ():
            fields = [{"name": f} for f in unique["fields"]]
            out.append({"model": name, "type": "unique", "fields": fields})
    return out
