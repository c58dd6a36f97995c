"""Build the `ClientIR` for one generated package from Prisma's generator parameters."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from orm.datasource import DatasourceUrls
from orm.generator.dmmf import Enum, GeneratorParams, Model, ModelField
from orm.generator.errors import GeneratorInputError
from orm.generator.ir.depth import limit_depth, recursive_type_depth, uses_untyped
from orm.generator.ir.inputs import input_type, is_relation, is_scalar, unique_types, write_types
from orm.generator.ir.names import (
    check_enum,
    check_field,
    check_model_name,
    check_unique,
    docstring,
    header_line,
    instance_name,
    strip_directives,
)
from orm.generator.ir.nodes import ClientIR, EnumIR, EnumMemberIR, Interface, ModelFieldIR, ModelIR
from orm.generator.ir.partials import partial_types, partials_imports
from orm.generator.ir.queries import aggregate_types, include_types, output_type, where_types
from orm.generator.ir.reexports import RUNTIME_ERRORS, RUNTIME_FIELDS
from orm.generator.ir.scalars import SCALAR_TYPES, shared_types

__all__ = ["build_ir"]

JsonValue = Any

INTERFACES = ("asyncio", "sync")


def _model_field(field: ModelField) -> ModelFieldIR:
    doc = docstring(field.documentation or "")
    if is_relation(field):
        typ = f"list[{field.type}]" if field.is_list else field.type
        return ModelFieldIR(field.name, f"{typ} | None", True, doc, typ, field.type, field.is_list)
    typ = output_type(field)
    typ = f"list[{typ}]" if field.is_list else typ
    optional = not field.is_required
    annotation = f"{typ} | None" if optional else typ
    return ModelFieldIR(field.name, annotation, optional, doc, typ)


def _count_field(model: Model) -> list[ModelFieldIR]:
    """`count_`: what `include={"_count": ...}` returns (Prisma's `_count`; pydantic refuses
    field names starting with an underscore)."""
    if not any(is_relation(f) and f.is_list for f in model.fields):
        return []
    doc = "Relation counts asked for with `_count` (Prisma's `_count`); None otherwise."
    typ = f"types.{model.name}RelationCount"
    return [ModelFieldIR("count_", f"{typ} | None", True, doc, typ)]


def _model(model: Model) -> ModelIR:
    check_model_name(model)
    fields = [f for f in model.fields if is_scalar(f) or is_relation(f)]
    for field in fields:
        check_field(model, field)
    doc = strip_directives(model.documentation) or f"One {model.name} record."
    return ModelIR(
        name=model.name,
        instance_name=instance_name(model),
        doc=docstring(doc),
        fields=(*(_model_field(f) for f in fields), *_count_field(model)),
        types=(
            *unique_types(model),
            *write_types(model),
            *where_types(model),
            *include_types(model),
            *aggregate_types(model),
        ),
    )


def _enum(enum: Enum) -> EnumIR:
    check_enum(enum)
    return EnumIR(
        name=enum.name,
        doc=docstring(enum.documentation or f"Values of the {enum.name} enum."),
        members=tuple(EnumMemberIR(v.name, v.name) for v in enum.values),
    )


def _list_items(models: tuple[Model, ...], enums: tuple[Enum, ...]) -> list[tuple[str, str]]:
    used = {f.type: f for m in models for f in m.fields if is_scalar(f) and f.is_list}
    order = [*SCALAR_TYPES, *(e.name for e in enums)]
    return [(name, input_type(used[name])) for name in order if name in used]


def _uses(models: tuple[Model, ...], *, kind: str = "scalar", scalar: str = "") -> bool:
    return any(
        f.kind == kind and (not scalar or f.type == scalar) for m in models for f in m.fields
    )


def _models_imports(models: tuple[Model, ...]) -> tuple[str, ...]:
    """Import lines of models.py ("" separates groups), only what its fields use."""
    std = ["import datetime"] if _uses(models, scalar="DateTime") else []
    std += ["import decimal"] if _uses(models, scalar="Decimal") else []
    std.append("from typing import TYPE_CHECKING, ClassVar, TypeVar")
    runtime = [
        "from orm.runtime import BaseModel, get_client",
        "from orm.runtime.models import allow_schema_depth",
    ]
    runtime += ["from orm.runtime.types import JsonValue"] if _uses(models, scalar="Json") else []
    local = ["enums"] if _uses(models, kind="enum") else []
    local += ["fields"] if _uses(models, scalar="Bytes") else []
    local += (
        ["types"] if any(is_relation(f) and f.is_list for m in models for f in m.fields) else []
    )
    tail = ["", f"from . import {', '.join(local)}"] if local else []
    return (*std, "", *runtime, *tail)


def _recursive_family(models: tuple[Model, ...]) -> tuple[list[str], list[str]]:
    """The read inputs relations make recursive (see `ir.depth`), and the roots a relation
    hop enters: where, order, include and select."""
    family: list[str] = []
    roots: list[str] = []
    for model in models:
        m = model.name
        having = f"{m}ScalarWhereWithAggregatesInput"
        family += [t.name for t in (*where_types(model), *include_types(model)) if t.name != having]
        roots += [f"{m}{kind}" for kind in _ROOTS]
    return family, roots


_ROOTS = ("WhereInput", "OrderByInput", "Include", "Select", "JsonSelect", "CountSelect")


def _types_imports(enums: tuple[Enum, ...], *, untyped: bool) -> tuple[str, ...]:
    # JsonFilter (always emitted) uses JsonValue
    return (
        "import datetime",
        "import decimal",
        *(["from collections.abc import Mapping"] if untyped else []),
        "from typing "
        + ("import Any, " if untyped else "import ")
        + "Literal, Required, TypeAlias, TypedDict",
        "",
        "from orm.runtime.types import JsonValue, SortMode as SortMode, SortOrder as SortOrder",
        "",
        "from . import enums, fields" if enums else "from . import fields",
    )


def build_ir(
    raw: Mapping[str, JsonValue],
    *,
    package: str,
    partials: Sequence[Mapping[str, JsonValue]] = (),
    datasource: DatasourceUrls | None = None,
    schema_sha256: str | None = None,
) -> ClientIR:
    """The IR for `raw` (the `generate` request's params), generating a package named `package`;
    `partials` are the partial types the project's script created (see `generator.partials`);
    `datasource` the URLs the user's schema names and `schema_sha256` its file's hash, when the
    CLI handed Prisma a copy without them (default: the hash of the text Prisma sent)."""
    params = GeneratorParams.model_validate(raw)
    datamodel = params.dmmf.datamodel
    sha = schema_sha256 or hashlib.sha256(params.datamodel.encode()).hexdigest()
    schema_file = Path(params.schema_path).name
    depth = recursive_type_depth(params.generator.config)
    models = limit_depth(
        tuple(_model(m) for m in datamodel.models), depth, *_recursive_family(datamodel.models)
    )
    shared = shared_types(
        [e.name for e in datamodel.enums], _list_items(datamodel.models, datamodel.enums)
    )
    check_unique([t.name for t in shared] + [t.name for m in models for t in m.types], "types.py")
    check_unique([m.instance_name for m in models], "client attributes")
    partial_irs = partial_types(models, partials)
    return ClientIR(
        header=header_line(schema_file, sha),
        schema_file=schema_file,
        schema_sha256=sha,
        package=package,
        models=models,
        enums=tuple(_enum(e) for e in datamodel.enums),
        shared_types=shared,
        datamodel_json=json.dumps(raw["dmmf"]["datamodel"], indent=2, ensure_ascii=True),
        models_imports=_models_imports(datamodel.models),
        types_imports=_types_imports(datamodel.enums, untyped=uses_untyped(models)),
        error_names=RUNTIME_ERRORS,
        field_names=RUNTIME_FIELDS,
        interface=Interface.of(_interface(params.generator.config.get("interface", "asyncio"))),
        partials=partial_irs,
        partials_imports=partials_imports(partial_irs),
        datasource=_datasource(datasource or DatasourceUrls()),
    )


def _datasource(datasource: DatasourceUrls) -> tuple[tuple[str, str, str], ...]:
    """(argument, `UrlSource` keyword, its value as a Python string literal) per URL named."""
    found: list[tuple[str, str, str]] = []
    for argument, source in (("url", datasource.url), ("direct_url", datasource.direct_url)):
        if source is not None:
            kind, text = ("env", source.env) if source.env is not None else ("value", source.value)
            found.append((argument, kind, json.dumps(text or "")))
    return tuple(found)


def _interface(value: str | list[str]) -> str:
    if value not in INTERFACES:
        raise GeneratorInputError(
            f"generator `interface = {value!r}` is not supported: use one of "
            f"{', '.join(map(repr, INTERFACES))} (prisma-client-py's values)."
        )
    return str(value)
