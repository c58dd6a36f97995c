"""`distinct` inside an include: each parent's children keep the first row per distinct key.

As for a top-level find, Prisma applies `distinct` after ordering and before `skip`/`take`, so
the children are loaded without `skip`/`take` and paged here, per parent, after de-duplication.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import cast

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.models import BaseModel
from orm.runtime.query.shapes import is_sequence
from orm.runtime.query.structure import ModelMeta
from orm.runtime.types import JsonValue

__all__ = ["distinct_groups", "sql_spec"]

_PAGED_HERE = ("distinct", "take", "skip")


def sql_spec(target: ModelMeta, spec: Mapping[str, JsonValue]) -> Mapping[str, JsonValue]:
    """`spec` for the SQL statement: without distinct (and the paging it must precede)."""
    distinct = spec.get("distinct")
    if not distinct:
        return {k: v for k, v in spec.items() if k != "distinct"}
    if not is_sequence(distinct) or isinstance(distinct, str):
        raise InputError(f"include distinct of {target.name} takes a list of field names.")
    for name in distinct:
        if name not in target.scalars:
            raise FieldNotFoundError(target.name, str(name), "include distinct")
    take = spec.get("take")
    if take is not None and (type(take) is not int or take < 0):
        raise InputError(f"include of {target.name}: with distinct, `take` must be an int >= 0.")
    return {k: v for k, v in spec.items() if k not in _PAGED_HERE}


def distinct_groups(
    groups: MutableMapping[tuple[JsonValue, ...], list[BaseModel]], spec: Mapping[str, JsonValue]
) -> None:
    """Each group de-duplicated on `spec["distinct"]` (first row wins), then skipped / taken."""
    names: Sequence[str] = spec.get("distinct") or ()
    if not names:
        return
    skip: int = spec.get("skip") or 0
    take: int | None = spec.get("take")
    for key, children in groups.items():
        seen: set[tuple[JsonValue, ...]] = set()
        kept: list[BaseModel] = []
        for child in children:
            mark = tuple(_hashable(getattr(child, n)) for n in names)
            if mark not in seen:
                seen.add(mark)
                kept.append(child)
        groups[key] = kept[skip : None if take is None else skip + take]


def _hashable(value: JsonValue) -> JsonValue:
    return tuple(cast(list[JsonValue], value)) if isinstance(value, list) else value
