"""`omit` (Prisma 6.2 / 7): fields left out of results, per query (`omit={"password": True}`)
or for every query of a client (`Prisma(omit={"User": {"password": True}})`; a query's
`{"password": False}` brings it back). An omitted field reads as None and is not in
`model_fields_set`, so `model_dump(exclude_unset=True)` leaves it out. Reads don't select an
omitted column (`kept_columns`) unless the query needs its value: a key an `include` joins on,
the id, a `distinct` field; those are read and then hidden."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.models import BaseModel
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from orm.runtime.core import ClientCore
    from orm.runtime.meta import SchemaMeta
    from orm.runtime.query.structure import ModelMeta

__all__ = ["apply_omit", "client_omit", "kept_columns", "omitted"]

OmitConfig = Mapping[str, Mapping[str, bool]]


def client_omit(schema: SchemaMeta, config: OmitConfig | None) -> dict[str, dict[str, bool]]:
    """The client-wide config keyed by model name (keys may be model or delegate names)."""
    by_lower = {name.lower(): name for name in schema.models}
    out: dict[str, dict[str, bool]] = {}
    for key, fields in (config or {}).items():
        name = key if key in schema.models else by_lower.get(key.lower())
        if name is None:
            raise InputError(f"omit: {key!r} is not a model of this schema.")
        _check(schema, name, fields)
        out[name] = dict(fields)
    return out


def _check(schema: SchemaMeta, model: str, fields: Mapping[str, JsonValue]) -> None:
    meta = schema.models[model]
    for name in fields:
        if name not in meta.scalars:
            raise FieldNotFoundError(model, name, "omit")
    if fields and all(fields.get(f) for f in meta.scalars):
        raise InputError(f"omit: every field of {model} is omitted; leave at least one.")


def omitted(client: ClientCore, model: str, omit: Mapping[str, JsonValue] | None) -> frozenset[str]:
    configured = client._shared.omit.get(model, {})  # pyright: ignore[reportPrivateUsage]
    if not omit and not configured:
        return frozenset()
    if omit:
        _check(client._schema, model, omit)  # pyright: ignore[reportPrivateUsage]
    merged = {**configured, **(omit or {})}
    return frozenset(name for name, value in merged.items() if value)


def apply_omit(instances: Sequence[BaseModel], names: frozenset[str]) -> None:
    for instance in instances:
        for name in names:
            object.__setattr__(instance, name, None)  # no validation: None for any type
        instance.__pydantic_fields_set__.difference_update(names)


def kept_columns(
    model: ModelMeta,
    names: frozenset[str],
    include: Mapping[str, JsonValue] | None,
    distinct: Sequence[str] | None = None,
) -> tuple[ColumnElement[JsonValue], ...]:
    """The labelled columns a read selects when `names` are omitted."""
    needed = set(model.id_fields).union(distinct or ())
    for name, wanted in (include or {}).items():
        relation = model.relations.get(name)
        if wanted and relation is not None:
            needed.update(relation.local_fields)
    dropped = names - needed
    return tuple(c for c in model.select_columns if c.name not in dropped)
