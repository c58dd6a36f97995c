"""Checking a whole nested write before any SQL runs.

Walks `data` the way `insert_one` / `update_one` will, converting every value and compiling
every `where`, so a typo or a wrong type deep inside a nested create raises here, not halfway
through a transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from orm.runtime.errors import InputError, MissingRequiredValueError
from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.query.where import compile_unique, compile_where
from orm.runtime.query.write.scalars import create_values, split_data, update_values
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["has_relations", "validate_create", "validate_update"]

_CREATE_OPS = {"create", "connect", "connect_or_create"}
_TO_ONE_UPDATE = _CREATE_OPS | {"disconnect", "delete", "update", "upsert"}
_TO_MANY_UPDATE = _CREATE_OPS | {
    "create_many",
    "disconnect",
    "set",
    "delete",
    "update",
    "upsert",
    "update_many",
    "delete_many",
}


def has_relations(model: ModelMeta, data: Mapping[str, JsonValue]) -> bool:
    return any(key in model.relations for key in data)


def validate_create(
    schema: SchemaMeta, model: ModelMeta, data: JsonValue, provided: frozenset[str] = frozenset()
) -> None:
    scalars, relations = split_data(model, data, "create data")
    fks = {f for name in relations for f in _own_keys(model.relations[name])}
    create_values(model, scalars, provided=provided | fks)
    for name, ops in relations.items():
        relation = model.relations[name]
        allowed = _CREATE_OPS | ({"create_many"} if relation.is_list else set[str]())
        _validate_ops(schema, relation, ops, allowed)


def validate_update(schema: SchemaMeta, model: ModelMeta, data: JsonValue) -> None:
    scalars, relations = split_data(model, data, "update data")
    update_values(model, model.table, scalars)
    for name, ops in relations.items():
        relation = model.relations[name]
        _validate_ops(
            schema, relation, ops, _TO_MANY_UPDATE if relation.is_list else _TO_ONE_UPDATE
        )


def _own_keys(relation: RelationField) -> tuple[str, ...]:
    return relation.local_fields if relation.kind == "inline_here" else ()


def _error(relation: RelationField, message: str) -> InputError:
    return InputError(
        f"{relation.model}.{relation.name}: {message}", model=relation.model, field=relation.name
    )


def _validate_ops(
    schema: SchemaMeta, relation: RelationField, ops: JsonValue, allowed: set[str]
) -> None:
    if ops is None:
        # prisma-client-py: a relation cannot be written as None (disconnect it instead)
        raise MissingRequiredValueError(
            f"{relation.model}.{relation.name} cannot be set to None: a relation write is a dict "
            f"of operations: {', '.join(sorted(allowed))}.",
            model=relation.model,
            field=relation.name,
        )
    if not is_mapping(ops) or not ops:
        raise _error(
            relation, f"a relation write is a dict of operations: {', '.join(sorted(allowed))}."
        )
    for op, arg in ops.items():
        if op not in allowed:
            raise _error(
                relation, f"`{op}` is not allowed here; use one of {', '.join(sorted(allowed))}."
            )
        items = arg if relation.is_list and is_sequence(arg) else [arg]
        for item in items:
            _validate_op(schema, relation, op, item)


def _child_provided(relation: RelationField) -> frozenset[str]:
    return frozenset(relation.remote_fields) if relation.kind == "inline_there" else frozenset()


def _validate_op(schema: SchemaMeta, relation: RelationField, op: str, arg: JsonValue) -> None:
    target = schema.models[relation.target]
    table = target.table
    if op == "create":
        validate_create(schema, target, arg, _child_provided(relation))
    elif op == "create_many":
        if not is_mapping(arg) or not is_sequence(arg.get("data")):
            raise _error(relation, "`create_many` takes {'data': [...], 'skip_duplicates': bool}.")
        if relation.kind == "m2m":
            raise _error(relation, "`create_many` is not available on a many-to-many relation.")
        for data in arg["data"]:
            validate_create(schema, target, data, _child_provided(relation))
    elif op in ("connect", "set") or (op in ("disconnect", "delete") and relation.is_list):
        compile_unique(schema, target, table, arg, op)
    elif op in ("disconnect", "delete"):
        _check_bool(relation, op, arg)
    else:
        _validate_complex(schema, relation, op, arg)
    if op == "disconnect" or (op == "set" and relation.kind == "inline_there"):
        _check_optional(schema, relation, op)


def _validate_complex(schema: SchemaMeta, relation: RelationField, op: str, arg: JsonValue) -> None:
    target = schema.models[relation.target]
    table = target.table
    if not is_mapping(arg):
        raise _error(relation, f"`{op}` takes a dict.")
    needs_where = relation.is_list and op in ("update", "upsert", "connect_or_create")
    if needs_where:
        compile_unique(schema, target, table, arg.get("where") or {}, op)
    if op == "delete_many":
        compile_where(schema, target, table, arg)
    elif op == "update_many":
        compile_where(schema, target, table, arg.get("where") or {})
        validate_update(schema, target, arg.get("data"))
    elif op == "update":
        validate_update(schema, target, arg["data"] if relation.is_list else arg)
    elif op == "connect_or_create":
        if not relation.is_list:
            compile_unique(schema, target, table, arg.get("where") or {}, op)
        validate_create(schema, target, arg.get("create"), _child_provided(relation))
    elif op == "upsert":
        validate_create(schema, target, arg.get("create"), _child_provided(relation))
        validate_update(schema, target, arg.get("update"))


def _check_bool(relation: RelationField, op: str, arg: JsonValue) -> None:
    if not isinstance(arg, bool):
        raise _error(relation, f"`{op}` on a to-one relation takes True or False.")


def _check_optional(schema: SchemaMeta, relation: RelationField, op: str) -> None:
    if relation.kind == "m2m":
        return
    if relation.kind == "inline_here":
        required = relation.is_required
    else:
        target = schema.models[relation.target]
        required = any(target.scalars[f].is_required for f in relation.remote_fields)
    if required:
        raise _error(
            relation,
            f"cannot `{op}`: the foreign key behind this relation is required (NOT NULL); "
            "connect a different record or delete the related one instead.",
        )
