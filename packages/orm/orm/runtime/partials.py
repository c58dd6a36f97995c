"""Partial types (prisma-client-py's `Model.create_partial`), collected at generation time.

A project's partial type generator script (`partial_type_generator` in the generator block)
calls `User.create_partial("UserInLogin", include={"name", "email"})` while `prisma generate`
runs it; the generator then writes the collected types to `<package>/partials.py`. Outside a
generation (`PRISMA_GENERATOR_INVOCATION` unset) the call is refused, as in prisma-client-py.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from orm.runtime.errors import UnknownRelationalFieldError
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.models import BaseModel

__all__ = [
    "GENERATOR_ENV",
    "PartialField",
    "PartialOptions",
    "PartialSpec",
    "collected",
    "create_partial",
    "register_relations",
]

GENERATOR_ENV = "PRISMA_GENERATOR_INVOCATION"

_RELATIONS: dict[type[BaseModel], frozenset[str]] = {}
_CREATED: dict[str, PartialSpec] = {}


@dataclass(frozen=True, slots=True)
class PartialField:
    name: str
    optional: bool
    partial_type: str | None = None
    """For a relation field given in `relations`: the partial type its records take."""


@dataclass(frozen=True, slots=True)
class PartialSpec:
    name: str
    model: str
    fields: tuple[PartialField, ...]

    def as_json(self) -> dict[str, JsonValue]:
        return asdict(self)


def register_relations(model: type[BaseModel], relations: Iterable[str]) -> None:
    """Called by `SchemaMeta.bind`: which fields of a generated model are relations."""
    _RELATIONS[model] = frozenset(relations)


def collected() -> list[PartialSpec]:
    """The partial types created so far in this process, in creation order."""
    return list(_CREATED.values())


@dataclass(frozen=True, slots=True)
class PartialOptions:
    include: frozenset[str] | None
    exclude: frozenset[str] | None
    required: frozenset[str]
    optional: frozenset[str]
    relations: Mapping[str, str]
    exclude_relational_fields: bool


def _check_options(name: str, options: PartialOptions) -> None:
    if not os.environ.get(GENERATOR_ENV):
        raise RuntimeError("Attempted to create a partial type outside of client generation.")
    if name in _CREATED:
        raise ValueError(f'Partial type "{name}" has already been created.')
    if options.include is not None and options.exclude is not None:
        raise TypeError("Exclude and include are mutually exclusive.")
    if options.include is not None and options.exclude_relational_fields:
        raise TypeError("Include and exclude_relational_fields=True are mutually exclusive.")
    shared = options.required & options.optional
    if shared:
        raise ValueError(f"Cannot make the same field(s) required and optional {sorted(shared)}")
    if options.exclude_relational_fields and options.relations:
        raise ValueError("exclude_relational_fields and relations are mutually exclusive")


def _selected(model: type[BaseModel], name: str, options: PartialOptions) -> list[str]:
    """The partial's field names, in the model's order."""
    known = list(model.model_fields)
    named: set[str] = set(options.include or ()) | set(options.exclude or ())
    named |= options.required | options.optional
    unknown = sorted(n for n in named if n not in model.model_fields)
    if unknown:
        raise ValueError(f"{unknown[0]} is not a valid {model.__prisma_model__} / {name} field.")
    relations = _RELATIONS.get(model, frozenset())
    if options.include is not None:
        fields = [f for f in known if f in options.include]
    else:
        fields = [f for f in known if f not in (options.exclude or frozenset[str]())]
    if options.exclude_relational_fields:  # and `count_`, the relations' counts
        fields = [f for f in fields if f not in relations and f != "count_"]
    return fields


def _relation_types(model: type[BaseModel], options: PartialOptions) -> dict[str, str]:
    relations = _RELATIONS.get(model, frozenset())
    for field, type_name in options.relations.items():
        if field not in relations:
            raise UnknownRelationalFieldError(model.__prisma_model__, field)
        if type_name not in _CREATED:
            raise ValueError(
                f'Unknown partial type: "{type_name}". '
                f"Did you remember to generate the {type_name} type before this one?"
            )
    return dict(options.relations)


def create_partial(model: type[BaseModel], name: str, options: PartialOptions) -> None:
    _check_options(name, options)
    fields = _selected(model, name, options)
    types = _relation_types(model, options)
    result: list[PartialField] = []
    for field in fields:
        optional = not model.model_fields[field].is_required()
        if field in options.required:
            optional = False
        elif field in options.optional:
            optional = True
        result.append(PartialField(field, optional, types.get(field)))
    _CREATED[name] = PartialSpec(name, model.__prisma_model__, tuple(result))
