"""`select` / `include` (and their `_count`) parsed once into a tree both load strategies read.

A `Node` is one level of a read: the model, the scalar fields it returns, the relations it loads
(each with its own `where` / `order` / `take` / `skip` / `cursor` and a child `Node`) and the
relation counts asked for with `_count`. `include` returns every scalar field; `select` only
those named (the others read as None and are left out of `model_fields_set`, as with `omit`).

In the JSON output mode (`find_many_json`) a scalar's `select` value may be a string: the key
the field takes in the output; a relation's arguments may carry `"as"` for the same purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orm.runtime.errors import FieldNotFoundError, InputError
from orm.runtime.query.shapes import is_mapping
from orm.runtime.query.structure import ModelMeta, RelationField
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.meta import SchemaMeta

__all__ = ["COUNT", "Child", "Count", "Node", "parse_selection"]

Args = Mapping[str, JsonValue]
COUNT = "_count"
COUNT_FIELD = "count_"
"""The model attribute `_count` lands in (pydantic refuses field names starting with `_`)."""
_RELATION_ARGS = frozenset(
    {"where", "order_by", "order", "take", "skip", "cursor", "include", "select", "distinct"}
)


@dataclass(slots=True)
class Count:
    relation: RelationField
    where: Args | None
    key: str


@dataclass(slots=True)
class Child:
    relation: RelationField
    node: Node
    args: Args
    """The relation's paging and filtering: where, order_by/order, take, skip, cursor, distinct."""
    key: str


@dataclass(slots=True)
class Node:
    model: ModelMeta
    scalars: dict[str, str]
    """Field name → output key, in the order they are returned."""
    partial: bool
    children: list[Child] = field(default_factory=lambda: [])
    counts: list[Count] | None = None
    count_key: str = COUNT

    @property
    def has_distinct(self) -> bool:
        return any(c.args.get("distinct") or c.node.has_distinct for c in self.children)


def parse_selection(
    schema: SchemaMeta,
    model: ModelMeta,
    select: Args | None,
    include: Args | None,
    *,
    keyed: bool = False,
) -> Node:
    """The tree for a read of `model`; `keyed` accepts output keys (the JSON output mode)."""
    if select is not None and include is not None:
        raise InputError(
            f"{model.name}: use either `include` or `select`, not both at the same level "
            "(a relation inside `select` takes its own `select` or `include`).",
            model=model.name,
        )
    for name, value in (("select", select), ("include", include)):
        if value is not None and not is_mapping(value):
            raise InputError(f"{model.name}: `{name}` must be a dict.", model=model.name)
    if select is not None:
        return _select(schema, model, select, keyed)
    node = Node(model, {name: name for name in model.scalars}, partial=False)
    for name, value in (include or {}).items():
        _entry(schema, node, name, value, "include", keyed)
    return node


def _select(schema: SchemaMeta, model: ModelMeta, select: Args, keyed: bool) -> Node:
    node = Node(model, {}, partial=True)
    for name, value in select.items():
        if name in model.scalars:
            key = _scalar_key(model, name, value, keyed)
            if key is not None:
                node.scalars[name] = key
        else:
            _entry(schema, node, name, value, "select", keyed)
    if not node.scalars and not node.children and node.counts is None:
        raise InputError(
            f"{model.name}: `select` must name at least one field with True.", model=model.name
        )
    return node


def _scalar_key(model: ModelMeta, name: str, value: JsonValue, keyed: bool) -> str | None:
    if value is True:
        return name
    if value is False or value is None:
        return None
    if keyed and isinstance(value, str) and value:
        return value
    wanted = "True, False or an output key" if keyed else "True or False"
    raise InputError(f"select `{name}` of {model.name} takes {wanted}.", model=model.name)


def _entry(
    schema: SchemaMeta, node: Node, name: str, value: JsonValue, where: str, keyed: bool
) -> None:
    model = node.model
    if name == COUNT:
        _counts(node, value, keyed)
        return
    relation = model.relations.get(name)
    if relation is None:
        raise FieldNotFoundError(model.name, name, where)
    if value is False or value is None:
        return
    args: Args = value if is_mapping(value) else {}
    if value is not True and not is_mapping(value):
        raise InputError(
            f"{where} `{name}` of {model.name} takes True, False or a dict of arguments.",
            model=model.name,
            field=name,
        )
    key = _relation_key(relation, args, keyed)
    unknown = set(args) - _RELATION_ARGS - ({"as"} if keyed else set())
    if unknown:
        raise InputError(
            f"{where} `{name}` of {model.name} takes {', '.join(sorted(_RELATION_ARGS))}; "
            f"got {', '.join(sorted(unknown))}.",
            model=model.name,
            field=name,
        )
    target = schema.models[relation.target]
    sub_select, sub_include = args.get("select"), args.get("include")
    child = parse_selection(
        schema,
        target,
        sub_select if is_mapping(sub_select) else None,
        sub_include if is_mapping(sub_include) else None,
        keyed=keyed,
    )
    paging = {k: v for k, v in args.items() if k not in ("select", "include", "as")}
    node.children.append(Child(relation, child, paging, key))


def _relation_key(relation: RelationField, args: Args, keyed: bool) -> str:
    key = args.get("as", relation.name) if keyed else relation.name
    if not isinstance(key, str) or not key:
        raise InputError(f"`as` of {relation.model}.{relation.name} must be a non-empty string.")
    return key


def _counts(node: Node, value: JsonValue, keyed: bool) -> None:
    """`_count: True` counts every to-many relation; `{"select": {"posts": True}}` those named,
    each optionally filtered: `{"select": {"posts": {"where": {...}}}}`."""
    model = node.model
    if value is False or value is None:
        return
    many = [r for r in model.relations.values() if r.is_list]
    if value is True:
        node.counts = [Count(r, None, r.name) for r in many]
        return
    spec = value.get("select") if is_mapping(value) else None
    if not is_mapping(spec):
        raise InputError(
            f"{model.name}: `_count` takes True or {{'select': {{<relation>: True}}}}.",
            model=model.name,
        )
    if keyed and is_mapping(value) and isinstance(value.get("as"), str):
        node.count_key = str(value["as"])
    counts: list[Count] = []
    for name, arg in spec.items():
        relation = model.relations.get(name)
        if relation is None or not relation.is_list:
            raise FieldNotFoundError(
                model.name,
                name,
                "_count select",
                message=f"{model.name}: `_count` counts to-many relations; `{name}` is not one.",
            )
        if arg is False or arg is None:
            continue
        where = arg.get("where") if is_mapping(arg) else None
        key = arg.get("as", name) if keyed and is_mapping(arg) else name
        counts.append(Count(relation, where if is_mapping(where) else None, str(key)))
    node.counts = counts
