"""Shape keys for the common reads, so a repeat query skips building SQLAlchemy constructs.

A shape is everything that decides the SQL text: the action, the model, which fields the
`where` names (each compared with a plain value), the order, whether there is a take (and its
sign) or a skip. The values become `Shaped.params`, converted as `values.db_value` converts them
for the statement the builder would make. Only simple arguments get a shape; anything else
(operators, None, lists, Json, relation filters, cursors, distinct) returns None and is built as
before. The engine reuses SQL for a key only after checking a built statement binds exactly
these parameters (`orm.runtime.engine.compile`), so a shape that guessed wrong is never reused.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy.sql.expression import Executable

from orm.runtime.errors import InputError
from orm.runtime.executor import Shaped
from orm.runtime.fields import Base64, Json
from orm.runtime.query.shapes import is_mapping, is_sequence
from orm.runtime.query.structure import ModelMeta
from orm.runtime.query.values import db_value
from orm.runtime.types import JsonValue

__all__ = ["UNSHAPED", "freeze", "shaped_where"]

Where = Mapping[str, JsonValue]


_ATOMS = frozenset({str, int, float, bool, bytes, datetime, date, Decimal, UUID})
"""Types whose values are always plain: checked by `type()` first, before the ABC checks."""


def _plain(value: JsonValue) -> bool:
    """A value compared with `=`: not None, not an operator dict, not a list, not Json."""
    if type(value) in _ATOMS:
        return True
    return not (
        value is None or is_sequence(value) or is_mapping(value) or isinstance(value, Json | Base64)
    )


def _where_params(
    model: ModelMeta, where: Where, params: list[object]
) -> tuple[Hashable, ...] | None:
    """The shape of an equality-only `where` (fields and compound keys), adding its values."""
    names: list[Hashable] = []
    for key, value in where.items():
        field = model.scalars.get(key)
        if field is not None:
            if field.is_list or field.type == "Json" or not _plain(value):
                return None
            params.append(db_value(model, field, value))
            names.append(key)
            continue
        fields = model.compound_keys.get(key)
        if fields is None or not is_mapping(value) or list(value) != list(fields):
            return None
        inner: Where = value
        if not all(_plain(inner[f]) for f in fields):
            return None
        params.extend(db_value(model, model.scalars[f], inner[f]) for f in fields)
        names.append((key,))
    return tuple(names)


def shaped_where(
    model: ModelMeta,
    action: str,
    where: Where | None,
    build: Callable[[], Executable],
    *,
    tail: tuple[Hashable, tuple[object, ...]] = ((), ()),
) -> Shaped | None:
    """`Shaped` for a statement whose only values are `where`'s, then `tail`'s own (its shape
    and parameters, e.g. LIMIT/OFFSET); None when the arguments are not simple enough."""
    params: list[object] = []
    if where is None:
        where = {}
    try:
        names = _where_params(model, where, params) if is_mapping(where) else None
    except InputError:  # the builder raises it, in the order it checks things
        return None
    if names is None:
        return None
    tail_key, tail_params = tail
    params.extend(tail_params)
    return Shaped((action, model.name, names, tail_key), tuple(params), build)


def freeze(value: JsonValue) -> Hashable:
    """A hashable copy of an `order` argument (dicts keep their key order), tagged with each
    container's type; `UNSHAPED` when it holds anything but dicts, lists and plain values."""
    if is_mapping(value):
        items = tuple((k, freeze(v)) for k, v in value.items())
        return UNSHAPED if UNSHAPED in (v for _, v in items) else ("{}", items)
    if is_sequence(value):
        frozen = tuple(freeze(v) for v in value)
        return UNSHAPED if UNSHAPED in frozen else ("[]", frozen)
    if value is None or type(value) in (str, int, bool):
        return (type(value).__name__, value)
    return UNSHAPED


UNSHAPED = object()
"""`freeze` of a value that has no shape key (the query is built as usual)."""
