"""The estimated cost of an operation: how many list items its response can hold at most.

A plan is built once per operation of a prepared document and evaluated per request with the
request's variables (a page size may come from one). The rules:

- A field with a `first` argument (a connection, or a field like `dashboard(first:)`) counts
  `first` items per parent: the value given, else the variable's value, else the variable's or
  the argument's default (20 for our connections when `first` is omitted or null). The lists
  directly under it (`edges`, `nodes`, `dreams`) are that page and count nothing more.
- Any other list of objects counts `LIST_SIZE` items per parent.
- Everything under a field is multiplied by its parent's count: 100 projects x (100 files +
  100 messages) = 100 + 100 x 100 + 100 x 100 = 20,100.
- Single objects and scalars count nothing; introspection (`__schema`, `__type`) is free.

`@skip`/`@include` are ignored (the estimate is an upper bound). A fragment's plan is built once
and shared wherever it is spread, and evaluated once per request, so a document that spreads
fragments inside fragments costs its size to plan, never the size of its expansion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_composite_type,
)

from orm.runtime.types import JsonValue

__all__ = ["DEFAULT_PAGE_SIZE", "LIST_SIZE", "CostPlan", "PageSize", "plan_cost"]

DEFAULT_PAGE_SIZE = 20  # a connection's `first` when neither the request nor the schema sets it
LIST_SIZE = 20  # items assumed for a list without a page size (collaborators, chart points...)
PAGE_ARGUMENT = "first"

Fields = Mapping[str, GraphQLField]


@dataclass(frozen=True, slots=True)
class PageSize:
    """A field's item count per parent: `fixed`, or the variable's value when it is given."""

    fixed: int
    variable: str | None = None

    def resolve(self, variables: Mapping[str, JsonValue]) -> int:
        if self.variable is not None:
            value = variables.get(self.variable)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, value)
        return self.fixed


@dataclass(frozen=True, slots=True)
class _Field:
    size: PageSize  # multiplies everything below
    counted: bool  # whether its items count (a page or a list) or not (a single object)
    below: _Selection


@dataclass(frozen=True, slots=True, eq=False)
class _Selection:
    """Fields and shared fragment selections; `eq=False`: evaluated once per identity."""

    items: tuple[_Field | _Selection, ...]


@dataclass(frozen=True, slots=True)
class CostPlan:
    root: _Selection
    fixed: int | None  # the cost when no page size comes from a variable

    def evaluate(self, variables: Mapping[str, JsonValue] | None = None) -> int:
        if self.fixed is not None:
            return self.fixed
        return _unit(self.root, variables or {}, {})


def _unit(selection: _Selection, variables: Mapping[str, JsonValue], memo: dict[int, int]) -> int:
    """Items under one instance of `selection`'s parent."""
    known = memo.get(id(selection))
    if known is not None:
        return known
    total = 0
    for item in selection.items:
        if isinstance(item, _Selection):
            total += _unit(item, variables, memo)
        else:
            below = _unit(item.below, variables, memo)
            total += item.size.resolve(variables) * (int(item.counted) + below)
    memo[id(selection)] = total
    return total


class _Planner:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }
        self._shared: dict[tuple[str, bool], _Selection] = {}
        self.uses_variables = False

    def selection(self, node: SelectionSetNode, parent: Fields, *, paged: bool) -> _Selection:
        """`paged`: `node` is a page's selection, so its lists are the page itself."""
        items: list[_Field | _Selection] = []
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                field = self._field(selection, parent, paged=paged)
                if field is not None:
                    items.append(field)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self._fields(condition.name.value) if condition else parent
                items.append(self.selection(selection.selection_set, target, paged=paged))
            elif isinstance(selection, FragmentSpreadNode):
                items.append(self._spread(selection.name.value, paged=paged))
        return _Selection(tuple(items))

    def _spread(self, name: str, *, paged: bool) -> _Selection:
        shared = self._shared.get((name, paged))
        if shared is None:
            fragment = self._fragments[name]
            target = self._fields(fragment.type_condition.name.value)
            shared = self.selection(fragment.selection_set, target, paged=paged)
            self._shared[(name, paged)] = shared
        return shared

    def _fields(self, type_name: str) -> Fields:
        """The fields of an object or interface type; none for a union (only its fragments
        select anything). Validation has already checked every name."""
        found = self._schema.get_type(type_name)
        if isinstance(found, GraphQLObjectType | GraphQLInterfaceType):
            return found.fields
        return {}

    def _field(self, node: FieldNode, parent: Fields, *, paged: bool) -> _Field | None:
        name = node.name.value
        definition = parent.get(name)
        if name.startswith("__") or definition is None or node.selection_set is None:
            return None
        named, is_list = _output(definition)
        if not is_composite_type(named):
            return None
        page = self._page_size(node, definition)
        if page is not None:
            size, counted, paged_below = page, True, True
        elif is_list and not paged:
            size, counted, paged_below = PageSize(LIST_SIZE), True, False
        else:
            size, counted, paged_below = PageSize(1), False, False
        below = self.selection(node.selection_set, self._fields(named.name), paged=paged_below)
        return _Field(size, counted, below)

    def _page_size(self, node: FieldNode, definition: GraphQLField) -> PageSize | None:
        argument = definition.args.get(PAGE_ARGUMENT)
        if argument is None:
            return None
        default = argument.default_value
        fallback = default if isinstance(default, int) and default >= 0 else DEFAULT_PAGE_SIZE
        arguments = node.arguments or ()
        given = next((a.value for a in arguments if a.name.value == PAGE_ARGUMENT), None)
        if isinstance(given, IntValueNode):
            return PageSize(max(0, int(given.value)))
        if isinstance(given, VariableNode):
            self.uses_variables = True
            variable_default = self._defaults.get(given.name.value)
            if isinstance(variable_default, IntValueNode):
                fallback = max(0, int(variable_default.value))
            return PageSize(fallback, variable=given.name.value)
        return PageSize(fallback)  # omitted or null (anything else fails validation)


def _output(definition: GraphQLField) -> tuple[GraphQLNamedType, bool]:
    """The field's named type, and whether the field is a list (`[T]` or `[T]!`)."""
    # graphql-core leaves GraphQLList's item type open, which strict pyright calls unknown.
    output = definition.type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    nullable = output.of_type if isinstance(output, GraphQLNonNull) else output  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return get_named_type(output), isinstance(nullable, GraphQLList)  # pyright: ignore[reportUnknownArgumentType]


def plan_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> CostPlan:
    """The cost plan of a validated `operation` (its fragments known and acyclic)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return CostPlan(_Selection(()), fixed=0)
    planner = _Planner(schema, fragments, operation)
    plan = planner.selection(operation.selection_set, root.fields, paged=False)
    fixed = None if planner.uses_variables else _unit(plan, {}, {})
    return CostPlan(plan, fixed)
