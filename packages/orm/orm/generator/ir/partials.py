"""Partial types: the specs a project's partial type generator script created, as IR.

The script runs against the freshly generated client (`orm.generator.partials`), and each
`Model.create_partial(...)` call records which fields the type has and whether each is
optional (`orm.runtime.partials.PartialSpec`, as JSON); here those become annotations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from orm.generator.errors import GeneratorInputError
from orm.generator.ir.names import check_unique
from orm.generator.ir.nodes import ModelFieldIR, ModelIR, PartialIR

__all__ = ["partial_types", "partials_imports"]

JsonValue = Any


def _field(model: ModelIR, spec: Mapping[str, JsonValue]) -> ModelFieldIR:
    field = next(f for f in model.fields if f.name == spec["name"])
    base, relation = field.base, field.relation
    if spec.get("partial_type"):  # typed with another partial type, defined in the same module
        base = f"list[{spec['partial_type']}]" if field.is_list else str(spec["partial_type"])
        relation = ""
    optional = bool(spec["optional"])
    annotation = f"{base} | None" if optional else base
    return ModelFieldIR(field.name, annotation, optional, field.doc, base, relation)


def partial_types(
    models: Sequence[ModelIR], specs: Sequence[Mapping[str, JsonValue]]
) -> tuple[PartialIR, ...]:
    by_name = {m.name: m for m in models}
    clashes = [s["name"] for s in specs if s["name"] in by_name]
    if clashes:
        raise GeneratorInputError(
            f"Partial type {clashes[0]!r} has the name of a model: give it another name."
        )
    check_unique([str(s["name"]) for s in specs], "partial types")
    return tuple(
        PartialIR(
            name=str(spec["name"]),
            model=str(spec["model"]),
            fields=tuple(_field(by_name[spec["model"]], f) for f in spec["fields"]),
        )
        for spec in specs
    )


def partials_imports(partials: Sequence[PartialIR]) -> tuple[str, ...]:
    """Import lines of partials.py ("" separates groups): what its annotations use."""
    if not partials:
        return ()
    text = " ".join(f.annotation for p in partials for f in p.fields)
    std = [f"import {m}" for m in ("datetime", "decimal") if f"{m}." in text]
    std.append("from typing import ClassVar")
    runtime = ["from orm.runtime.types import JsonValue"] if "JsonValue" in text else []
    local = ["bases"] + [m for m in ("enums", "fields", "types") if f"{m}." in text]
    related = sorted({f.relation for p in partials for f in p.fields if f.relation})
    lines = [*std, "", *runtime, *([""] if runtime else []), f"from . import {', '.join(local)}"]
    if related:
        lines.append(f"from .models import {', '.join(related)}")
    return tuple(lines)
