"""Python types for Prisma scalars, and the shared filter / update types every model uses."""

from __future__ import annotations

import keyword

from orm.generator.ir.nodes import AliasDef, DictKey, TypedDictDef, TypeDef

__all__ = [
    "INPUT_TYPES",
    "NUMBER_TYPES",
    "OUTPUT_TYPES",
    "SCALAR_TYPES",
    "enum_filter",
    "list_types",
    "shared_types",
    "typed_dict",
]

SCALAR_TYPES = (
    "String",
    "Boolean",
    "Int",
    "BigInt",
    "Float",
    "Decimal",
    "DateTime",
    "Json",
    "Bytes",
)
NUMBER_TYPES = frozenset({"Int", "BigInt", "Float", "Decimal"})
_ORDERED_TYPES = NUMBER_TYPES | {"String", "DateTime"}

# What a query accepts (Json and Bytes are wrapped, as in prisma-client-py) ...
INPUT_TYPES = {
    "String": "str",
    "Boolean": "bool",
    "Int": "int",
    "BigInt": "int",
    "Float": "float",
    "Decimal": "decimal.Decimal",
    "DateTime": "datetime.datetime",
    "Json": "fields.Json",
    "Bytes": "fields.Base64",
}
# ... and what a model holds (reads return plain JSON values for Json fields).
OUTPUT_TYPES = {**INPUT_TYPES, "Json": "JsonValue"}

_ATOMIC_OPS = ("set", "increment", "decrement", "multiply", "divide")


def _is_identifier(key: str) -> bool:
    return key.isidentifier() and not keyword.iskeyword(key)


def typed_dict(
    name: str,
    keys: list[DictKey],
    *,
    total: bool = False,
    doc: str = "",
    base: str = "",
) -> TypedDictDef:
    """A TypedDict definition; keys that are Python keywords switch it to the functional form."""
    functional = not all(_is_identifier(k.key) for k in keys)
    return TypedDictDef(
        name=name, keys=tuple(keys), total=total, doc=doc, base=base, functional=functional
    )


_JSON_ARRAY_OPS = ("array_contains", "array_starts_with", "array_ends_with")


def _filter(name: str, py: str, scalar: str) -> TypedDictDef:
    keys = [DictKey("equals", f"{py} | None")]
    if scalar in _ORDERED_TYPES or scalar == "Bytes":
        keys += [DictKey("in", f"list[{py}]"), DictKey("not_in", f"list[{py}]")]
    if scalar in _ORDERED_TYPES:
        keys += [DictKey(op, py) for op in ("lt", "lte", "gt", "gte")]
    if scalar == "String":
        keys += [DictKey(op, py) for op in ("contains", "startswith", "endswith")]
        keys.append(DictKey("search", py))  # full-text, in PostgreSQL tsquery syntax
        keys.append(DictKey("mode", "SortMode"))
    if scalar == "Json":  # Prisma's JSON filters: a value at `path`, strings and arrays in it
        keys += [DictKey("path", "list[str]"), DictKey("mode", "SortMode")]
        keys += [DictKey(op, "str") for op in ("string_contains", "string_starts_with")]
        keys += [DictKey("string_ends_with", "str")]
        keys += [DictKey(op, f"{py} | JsonValue") for op in _JSON_ARRAY_OPS]
    keys.append(DictKey("not", f"{py} | {name} | None"))
    return typed_dict(name, keys, doc=f"Conditions on a {scalar} field.")


def enum_filter(enum: str) -> TypedDictDef:
    py = f"enums.{enum}"
    name = f"{enum}Filter"
    keys = [
        DictKey("equals", f"{py} | None"),
        DictKey("in", f"list[{py}]"),
        DictKey("not_in", f"list[{py}]"),
        DictKey("not", f"{py} | {name} | None"),
    ]
    return typed_dict(name, keys, doc=f"Conditions on a {enum} field.")


def _with_aggregates(scalar: str) -> TypedDictDef:
    own = f"{scalar}Filter"
    keys = [DictKey(agg, own) for agg in ("_max", "_min", "_sum", "_avg")]
    keys.append(DictKey("_count", "IntFilter"))
    return typed_dict(f"{scalar}WithAggregatesFilter", keys, base=own)


def _atomic(scalar: str) -> list[TypeDef]:
    py = INPUT_TYPES[scalar]
    parts = [
        typed_dict(f"_{scalar}{op.title()}Input", [DictKey(op, py)], total=True)
        for op in _ATOMIC_OPS
    ]
    union = " | ".join(p.name for p in parts)
    return [*parts, AliasDef(f"Atomic{scalar}Input", union)]


def list_types(name: str, py: str) -> list[TypeDef]:
    """`<name>ListFilter` (equals / has / has_every / has_some / is_empty) and `<name>ListUpdate`
    (a new list, or set / push) for a list field whose items are `py`."""
    filters = [
        typed_dict(
            f"_{name}ListFilterEqualsInput", [DictKey("equals", f"list[{py}] | None")], total=True
        ),
        typed_dict(f"_{name}ListFilterHasInput", [DictKey("has", py)], total=True),
        typed_dict(
            f"_{name}ListFilterHasEveryInput", [DictKey("has_every", f"list[{py}]")], total=True
        ),
        typed_dict(
            f"_{name}ListFilterHasSomeInput", [DictKey("has_some", f"list[{py}]")], total=True
        ),
        typed_dict(f"_{name}ListFilterIsEmptyInput", [DictKey("is_empty", "bool")], total=True),
    ]
    updates = [
        typed_dict(f"_{name}ListUpdateSet", [DictKey("set", f"list[{py}]")], total=True),
        typed_dict(f"_{name}ListUpdatePush", [DictKey("push", f"{py} | list[{py}]")], total=True),
    ]
    return [
        *filters,
        AliasDef(f"{name}ListFilter", " | ".join(f.name for f in filters)),
        *updates,
        AliasDef(f"{name}ListUpdate", " | ".join([f"list[{py}]", *(u.name for u in updates)])),
    ]


def shared_types(enums: list[str], list_items: list[tuple[str, str]]) -> tuple[TypeDef, ...]:
    """Filters for every scalar and enum, atomic number updates, and list filters / updates for
    the `(name, python type)` item types that some list field uses."""
    sort = [DictKey("sort", "SortOrder", True), DictKey("nulls", 'Literal["first", "last"]')]
    out: list[TypeDef] = [
        typed_dict("SortOrderInput", sort, doc="Order of a nullable field, nulls first or last."),
        typed_dict(
            "OrderByRelationAggregateInput",
            [DictKey("_count", "SortOrder")],
            total=True,
            doc="Order by how many records a to-many relation holds.",
        ),
    ]
    for scalar in SCALAR_TYPES:
        if scalar == "BigInt":
            continue
        out.append(_filter(f"{scalar}Filter", INPUT_TYPES[scalar], scalar))
        out.append(_with_aggregates(scalar))
    out += [
        AliasDef("BigIntFilter", "IntFilter"),
        AliasDef("BigIntWithAggregatesFilter", "IntWithAggregatesFilter"),
    ]
    out += [enum_filter(name) for name in enums]
    for scalar in ("Int", "Float", "Decimal"):
        out += _atomic(scalar)
    out.append(AliasDef("AtomicBigIntInput", "AtomicIntInput"))
    for name, py in list_items:
        out += list_types(name, py)
    return tuple(out)
