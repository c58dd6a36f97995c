"""The intermediate representation: everything a template emits, worked out up front.

Templates only loop over these and print their strings; no names or types are computed there.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AliasDef",
    "ClientIR",
    "DictKey",
    "EnumIR",
    "EnumMemberIR",
    "Interface",
    "ModelFieldIR",
    "ModelIR",
    "PartialIR",
    "TypeDef",
    "TypedDictDef",
]


@dataclass(frozen=True, slots=True)
class DictKey:
    """One key of a TypedDict: `required` wraps it in `Required[...]` inside a total=False dict."""

    key: str
    type: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class TypedDictDef:
    """A TypedDict. `functional` when a key is not an identifier (`in`, `not`, `is`): then the
    functional syntax is used and every type is quoted, as its values are evaluated at import."""

    name: str
    keys: tuple[DictKey, ...]
    total: bool = False
    doc: str = ""
    base: str = ""
    functional: bool = False
    kind: str = "typeddict"


@dataclass(frozen=True, slots=True)
class AliasDef:
    """`name = target`: a union of earlier definitions, or another name for one."""

    name: str
    target: str
    kind: str = "alias"


TypeDef = TypedDictDef | AliasDef


@dataclass(frozen=True, slots=True)
class ModelFieldIR:
    """A field of the generated pydantic model: `name: annotation` plus ` = None` when optional."""

    name: str
    annotation: str
    optional: bool
    doc: str
    base: str = ""
    """The annotation without `| None`: what a partial type that requires the field says."""
    relation: str = ""
    """For a relation field, the related model's name."""
    is_list: bool = False

    @property
    def model_annotation(self) -> str:
        """`annotation` as models.py writes it: quoted for a relation, which may name a model
        defined further down, since that module's annotations are evaluated (its template says
        why); the others name what is imported there."""
        return f'"{self.annotation}"' if self.relation else self.annotation


@dataclass(frozen=True, slots=True)
class ModelIR:
    name: str
    instance_name: str
    doc: str
    fields: tuple[ModelFieldIR, ...]
    types: tuple[TypeDef, ...]


@dataclass(frozen=True, slots=True)
class PartialIR:
    """A partial type (`Model.create_partial(...)` in the partial type generator script)."""

    name: str
    model: str
    fields: tuple[ModelFieldIR, ...]


@dataclass(frozen=True, slots=True)
class EnumMemberIR:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class EnumIR:
    name: str
    doc: str
    members: tuple[EnumMemberIR, ...]


@dataclass(frozen=True, slots=True)
class Interface:
    """What differs between the async client and the sync one (`interface = "sync"` in the
    generator block): the base classes and how a method calls the runtime's coroutine."""

    sync: bool
    async_def: str
    await_: str
    await_end: str
    async_with: str
    actions_base: str
    client_base: str
    batch_base: str

    @classmethod
    def of(cls, name: str) -> Interface:
        if name == "sync":
            return cls(
                True,
                "def ",
                "self._run(",
                ")",
                "with",
                "SyncModelActions",
                "SyncClient",
                "SyncBatchBase",
            )
        return cls(
            False,
            "async def ",
            "await ",
            "",
            "async with",
            "ModelActions",
            "BaseClient",
            "BatchBase",
        )


@dataclass(frozen=True, slots=True)
class ClientIR:
    """Everything one generated package needs. `header` is the first line of every file."""

    header: str
    schema_file: str
    schema_sha256: str
    package: str
    models: tuple[ModelIR, ...]
    enums: tuple[EnumIR, ...]
    shared_types: tuple[TypeDef, ...]
    datamodel_json: str
    models_imports: tuple[str, ...]
    types_imports: tuple[str, ...]
    error_names: tuple[str, ...]
    field_names: tuple[str, ...]
    interface: Interface
    partials: tuple[PartialIR, ...] = ()
    partials_imports: tuple[str, ...] = ()
    datasource: tuple[tuple[str, str, str], ...] = ()
    """`DatasourceUrls(...)`'s arguments: (name, `UrlSource` keyword, Python string literal)."""
