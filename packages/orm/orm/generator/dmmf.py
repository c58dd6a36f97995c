"""Frozen pydantic models of the parts of Prisma's generator parameters we use. Parses only.

Prisma sends `generate` a dict with the schema text (`datamodel`), the parsed `dmmf`, the
generator block being run and the datasources; unknown keys are ignored so a newer CLI that adds
fields still parses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Datamodel",
    "Datasource",
    "Dmmf",
    "Enum",
    "EnumValue",
    "GeneratorConfig",
    "GeneratorParams",
    "Model",
    "ModelField",
    "PrimaryKey",
    "UniqueIndex",
    "ValueFromEnv",
]

FieldKind = Literal["scalar", "object", "enum", "unsupported"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class ModelField(_Frozen):
    name: str
    kind: FieldKind
    type: str
    db_name: str | None = Field(default=None, alias="dbName")
    documentation: str | None = None
    is_list: bool = Field(alias="isList")
    is_required: bool = Field(alias="isRequired")
    is_unique: bool = Field(alias="isUnique")
    is_id: bool = Field(alias="isId")
    is_read_only: bool = Field(alias="isReadOnly")
    is_generated: bool = Field(default=False, alias="isGenerated")
    is_updated_at: bool = Field(default=False, alias="isUpdatedAt")
    has_default_value: bool = Field(alias="hasDefaultValue")
    relation_name: str | None = Field(default=None, alias="relationName")
    relation_from_fields: tuple[str, ...] = Field(default=(), alias="relationFromFields")
    relation_to_fields: tuple[str, ...] = Field(default=(), alias="relationToFields")


class PrimaryKey(_Frozen):
    name: str | None = None
    fields: tuple[str, ...]


class UniqueIndex(_Frozen):
    name: str | None = None
    fields: tuple[str, ...]


class Model(_Frozen):
    name: str
    db_name: str | None = Field(default=None, alias="dbName")
    documentation: str | None = None
    fields: tuple[ModelField, ...]
    primary_key: PrimaryKey | None = Field(default=None, alias="primaryKey")
    unique_indexes: tuple[UniqueIndex, ...] = Field(default=(), alias="uniqueIndexes")


class EnumValue(_Frozen):
    name: str
    db_name: str | None = Field(default=None, alias="dbName")


class Enum(_Frozen):
    name: str
    values: tuple[EnumValue, ...]
    db_name: str | None = Field(default=None, alias="dbName")
    documentation: str | None = None


class Datamodel(_Frozen):
    enums: tuple[Enum, ...] = ()
    models: tuple[Model, ...] = ()


class Dmmf(_Frozen):
    datamodel: Datamodel


class ValueFromEnv(_Frozen):
    value: str | None = None
    from_env_var: str | None = Field(default=None, alias="fromEnvVar")


class GeneratorConfig(_Frozen):
    name: str
    output: ValueFromEnv | None = None
    provider: ValueFromEnv
    config: dict[str, str | list[str]] = {}
    """The block's other keys (`interface = "sync"`), as the CLI passes them."""


class Datasource(_Frozen):
    name: str
    provider: str
    active_provider: str = Field(alias="activeProvider")


class GeneratorParams(_Frozen):
    """What `generate` receives. `datamodel` is the schema text, `dmmf` its parsed form."""

    datamodel: str
    dmmf: Dmmf
    generator: GeneratorConfig
    schema_path: str = Field(alias="schemaPath")
    datasources: tuple[Datasource, ...] = ()
    version: str = ""
