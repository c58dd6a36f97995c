"""Rows → each instance's `__dict__`, by a function made once per model and column layout.

The function is Python source compiled once, as `dataclasses` makes `__init__` and
`collections.namedtuple` its class: one dict display per row that reads each value by position
(`r[3]`), converts only the fields that need it (`hydrate.prepare_hydrators`: enums, Json,
Bytes, scalar lists...), leaves the values asyncpg's codecs made as they are, and fills the
fields not read with their defaults, in the class's field order. No dict per row from the
driver and none merged into a template: for 500 rows of 8 columns it costs what asyncpg's own
`dict(record.items())` does, about half of building a dict and merging it.

    build = layout(model, ("id", "title")).build
    build([("p1", "Hello")])  # [{"id": "p1", "title": "Hello", "body": None, ...}]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from orm.runtime.executor import Values
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.query.structure import Converter, ModelMeta

__all__ = ["Layout", "layout"]

Build = Callable[[Sequence[Values]], list[dict[str, JsonValue]]]

_CACHED_LAYOUTS = 256
"""Per model; a layout is a set of selected columns (`omit`, partial types), so few recur."""


@dataclass(frozen=True, slots=True)
class Layout:
    build: Build
    """Rows (values in `columns` order) → one dict per row, as its instance's `__dict__`."""
    fields: frozenset[str]
    """The model's fields the rows hold: the instances' `model_fields_set`."""


def layout(model: ModelMeta, columns: tuple[str, ...]) -> Layout:
    """The layout for rows of `model` with these column labels (labels that name no scalar
    field, such as a join table's key, are left out)."""
    found = model.layouts.get(columns)
    if found is None:
        found = _layout(model, columns)
        if len(model.layouts) < _CACHED_LAYOUTS:
            model.layouts[columns] = found
    return found


def _layout(model: ModelMeta, columns: tuple[str, ...]) -> Layout:
    position = {name: i for i, name in enumerate(columns) if name in model.scalars}
    converters = dict(model.converters)
    lists = frozenset(model.list_fields)
    # Without a template (see `hydrate._template`) a dict holds only what was read.
    fields = model.template if model.template is not None else dict.fromkeys(position)
    names: dict[str, Any] = {}
    entries: list[str] = []
    for n, (name, default) in enumerate(fields.items()):
        i = position.get(name)
        if i is None:
            names[f"_d{n}"] = default
            entries.append(f"{name!r}: _d{n}")
        else:
            entries.append(f"{name!r}: {_read(i, converters.get(name), name in lists, n, names)}")
    source = f"def build(rows):\n    return [{{{', '.join(entries)}}} for r in rows]\n"
    exec(compile(source, f"<{model.name} rows>", "exec"), names)
    return Layout(cast(Build, names["build"]), frozenset(position))


def _read(i: int, convert: Converter | None, is_list: bool, n: int, names: dict[str, Any]) -> str:
    """The expression for column `i`: NULL stays None (an empty list for a scalar list)."""
    if convert is None:
        return f"r[{i}] or []" if is_list else f"r[{i}]"
    names[f"_c{n}"] = convert
    return f"{'[]' if is_list else 'None'} if (v := r[{i}]) is None else _c{n}(v)"
