"""One row written with its nested relation writes: `insert_one`, `update_one`.

Relation writes whose foreign key lives on this model (`inline_here`) run first and fill the
key in; the rest (the other side holds the key, or an m-n join table) run after, once this row's
key is known. Callers wrap multi-statement writes in `executor.transaction()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, bindparam
from sqlalchemy.sql.expression import Executable

from orm.runtime.errors import DataError, ForeignKeyViolationError, RecordNotFoundError
from orm.runtime.executor import Executor, Row, Shaped
from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.values import bound
from orm.runtime.query.write.scalars import (
    create_params,
    create_values,
    split_data,
    update_values,
)
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = [
    "bind_value",
    "insert_one",
    "key_condition",
    "shaped_insert",
    "single_statement",
    "update_one",
]

Data = Mapping[str, JsonValue]
Bool = ColumnElement[bool]


def bind_value(model: ModelMeta, field: str, value: JsonValue) -> ColumnElement[JsonValue]:
    """A value read from the database, bound back as a parameter of `field`'s column."""
    return bindparam(None, value, type_=model.columns[field].type)


def key_condition(model: ModelMeta, row: Row, fields: tuple[str, ...] | None = None) -> Bool:
    names = fields or model.id_fields
    return and_(*(model.table.c[f] == bind_value(model, f, row[f]) for f in names))


def shaped_insert(model: ModelMeta, data: Data) -> Shaped:
    """A create without relation writes, known by which fields it sets (and which to NULL).

    Parameters follow the table's column order, as the INSERT lists them; the engine checks
    that against a built statement before reusing its SQL (`orm.runtime.executor.Shaped`)."""
    scalars, _ = split_data(model, data, "create data")
    raw = create_params(model, scalars)

    def build() -> Executable:
        return model.statements.insert.values(
            {f: None if v is None else bound(model, model.scalars[f], v) for f, v in raw.items()}
        )

    nulls = tuple(f for f, v in raw.items() if v is None) if None in raw.values() else ()
    key = ("create", model.name, tuple(raw), nulls)
    return Shaped(key, tuple([raw[f] for f in model.scalars if f in raw]), build)


async def insert_one(
    ex: Executor,
    schema: SchemaMeta,
    model: ModelMeta,
    data: Data,
    *,
    fixed: Mapping[str, JsonValue] | None = None,
) -> Row:
    from orm.runtime.query.write.nested import after_write, before_write

    scalars, relations = split_data(model, data, "create data")
    provided = {f for r in relations for f in _fk_fields(model, r)} | set(fixed or {})
    values = create_values(model, scalars, provided=frozenset(provided))
    for name, value in (fixed or {}).items():
        values[name] = bind_value(model, name, value)
    for name, ops in relations.items():
        relation = model.relations[name]
        if relation.kind == "inline_here":
            keys = await before_write(ex, schema, relation, ops, None)
            values.update({f: bind_value(model, f, v) for f, v in keys.items()})
    stmt = model.statements.insert.values(values)
    try:
        row = (await ex.fetch(stmt, model=model.name, action="create"))[0]
    except ForeignKeyViolationError as exc:
        raise _connect_error(model, relations, exc) from exc
    for name, ops in relations.items():
        relation = model.relations[name]
        if relation.kind != "inline_here":
            await after_write(ex, schema, relation, ops, row)
    return row


def _connect_error(
    model: ModelMeta, relations: Mapping[str, JsonValue], exc: ForeignKeyViolationError
) -> DataError:
    """A nested `connect` by key skips the lookup, so a missing record shows up as a foreign
    key violation: report it as prisma-client-py does, as a RecordNotFoundError."""
    for name, ops in relations.items():
        relation = model.relations[name]
        if (
            relation.kind == "inline_here"
            and "connect" in ops
            and exc.fields == relation.local_fields
        ):
            return RecordNotFoundError(
                f"No {relation.target} record was found for the nested `connect` on "
                f"{model.name}.{name}: check the `where` you passed.",
                model=relation.target,
            )
    return exc


def single_statement(model: ModelMeta, relations: Mapping[str, JsonValue]) -> bool:
    """Whether the relation writes only set this row's own foreign key from input alone
    (`connect` by the referenced key, `disconnect`), so the write is one statement."""
    for name, ops in relations.items():
        relation = model.relations[name]
        if relation.kind != "inline_here" or not is_mapping(ops):
            return False
        for op, arg in ops.items():
            by_key = (
                op == "connect"
                and is_mapping(arg)
                and set(arg) == set(relation.remote_fields)
                and all(v is not None for v in arg.values())
            )
            if not (by_key or op == "disconnect"):
                return False
    return True


def _fk_fields(model: ModelMeta, relation_name: str) -> tuple[str, ...]:
    relation = model.relations[relation_name]
    return relation.local_fields if relation.kind == "inline_here" else ()


async def update_one(
    ex: Executor, schema: SchemaMeta, model: ModelMeta, condition: Bool, data: Data
) -> Row | None:
    """Update the row matching `condition`; None when there is none."""
    from orm.runtime.query.write.nested import after_write, before_write

    scalars, relations = split_data(model, data, "update data")
    values = update_values(model, model.table, scalars)
    if single_statement(model, relations):
        for name, ops in relations.items():
            keys = await before_write(ex, schema, model.relations[name], ops, None)
            values.update({f: bind_value(model, f, v) for f, v in keys.items()})
        try:
            return await _update_returning(ex, model, condition, values)
        except ForeignKeyViolationError as exc:
            raise _connect_error(model, relations, exc) from exc
    current_rows = await ex.fetch(
        model.statements.select.where(condition).with_for_update(),
        model=model.name,
        action="update",
    )
    if not current_rows:
        return None
    current = current_rows[0]
    for name, ops in relations.items():
        relation = model.relations[name]
        if relation.kind == "inline_here":
            keys = await before_write(ex, schema, relation, ops, current)
            values.update({f: bind_value(model, f, v) for f, v in keys.items()})
    row = await _update_returning(ex, model, key_condition(model, current), values) or current
    for name, ops in relations.items():
        relation = model.relations[name]
        if relation.kind != "inline_here":
            await after_write(ex, schema, relation, ops, row)
    return row


async def _update_returning(
    ex: Executor,
    model: ModelMeta,
    condition: Bool,
    values: Mapping[str, ColumnElement[JsonValue] | None],
) -> Row | None:
    if values:
        stmt = model.statements.update.where(condition).values(dict(values))
        rows = await ex.fetch(stmt, model=model.name, action="update")
    else:
        rows = await ex.fetch(model.statements.select.where(condition), model=model.name)
    return rows[0] if rows else None
