"""The checks a document passes before it may run, cheapest first, each error with its code.

1. Tokens, counted by the lexer alone and only up to the limit plus one, before anything is
   parsed: a 99 KB document of directives is refused after lexing its first 2,001 tokens.
2. Parsing (syntax errors).
3. Depth, aliases and fragment spreads per selection set, read from the syntax tree before
   validation. Each fragment is measured once, so fragments spread inside fragments cost the
   document's size, not its expansion. Validation compares the fragments spread into one
   selection set pairwise (150 of them: ~0.25 s of CPU), hence their limit.
4. Validation: GraphQL's rules, Strawberry's, and no introspection when it is off. graphql-core
   meters the pairwise field comparisons of its overlapping-fields rule and aborts validation
   past a budget; `bound_validation_work` lowers that budget from 500,000 to
   `VALIDATION_BUDGET` (a realistic document stays far below either), so 2,000 tokens of
   repeated fields cost tens of milliseconds to refuse rather than a hundred or more.

`codes` lists every `extensions.code` this module reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    specified_rules,
)
from graphql.language import Lexer
from graphql.validation.rules import overlapping_fields_can_be_merged
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

__all__ = [
    "ALIAS_LIMIT",
    "COST_LIMIT",
    "DEPTH_LIMIT",
    "INTROSPECTION_DISABLED",
    "PARSE_FAILED",
    "SPREAD_LIMIT",
    "TOKEN_LIMIT",
    "VALIDATION_BUDGET",
    "VALIDATION_FAILED",
    "OperationShape",
    "bound_validation_work",
    "coded",
    "count_tokens",
    "limit_error",
    "shapes",
    "validation_rules",
    "with_code",
]

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
TOKEN_LIMIT = "TOKEN_LIMIT_EXCEEDED"
DEPTH_LIMIT = "DEPTH_LIMIT_EXCEEDED"
ALIAS_LIMIT = "ALIAS_LIMIT_EXCEEDED"
SPREAD_LIMIT = "FRAGMENT_LIMIT_EXCEEDED"
COST_LIMIT = "COST_LIMIT_EXCEEDED"

VALIDATION_BUDGET = 100_000


def bound_validation_work() -> None:
    """Process-wide (graphql-core reads the module attribute when a validation starts)."""
    overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = VALIDATION_BUDGET


def limit_error(code: str, message: str, **figures: int) -> GraphQLError:
    """An error about a limit: `code`, and the figures (`cost=..., limit=...`) as extensions."""
    return with_code(GraphQLError(message), code, **figures)


def with_code(error: GraphQLError, code: str, **extra: int | str) -> GraphQLError:
    """`error` with `extensions.code` (and `extra`) set, unless it already has a code."""
    extensions = dict(error.extensions or {})
    extensions.setdefault("code", code)
    extensions.update(extra)
    error.extensions = extensions
    return error


def count_tokens(source: str, limit: int) -> int:
    """Lexical tokens in `source`, comments included, counted up to `limit + 1` at most.

    Raises `GraphQLSyntaxError` for text that doesn't lex within that many tokens.
    """
    lexer = Lexer(Source(source))
    end = 0
    count = 0
    while count <= limit:
        token = lexer.read_next_token(end)
        if token.kind is TokenKind.EOF:
            break
        count += 1
        end = token.end
    return count


@dataclass(frozen=True, slots=True)
class OperationShape:
    """`depth`: the most fields above any field (introspection not counted), as Strawberry's
    depth limiter counts; `aliases`: aliased fields, counted through fragments; `spreads`: the
    most fragment spreads in one selection set (its inline fragments included), which
    validation compares pairwise."""

    name: str
    depth: int
    aliases: int
    spreads: int


@dataclass(frozen=True, slots=True)
class _Measure:
    depth: int  # levels of fields with selections below this selection set
    aliases: int
    spreads: int  # the most spreads in one selection set at or below this one
    level: int = 0  # spreads in this selection set itself


class _Measurer:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments
        self._done: dict[str, _Measure] = {}
        self._open: set[str] = set()  # a cycle is validation's error to report; count it once

    def selection(self, node: SelectionSetNode) -> _Measure:
        depth = aliases = spreads = level = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                found = self._field(selection)
            elif isinstance(selection, InlineFragmentNode):
                found = self.selection(selection.selection_set)
                level += found.level  # merged into this selection set
            elif isinstance(selection, FragmentSpreadNode):
                found = self._spread(selection.name.value)
                level += 1
            else:  # pragma: no cover - no other selection kinds exist
                continue
            depth = max(depth, found.depth)
            aliases += found.aliases
            spreads = max(spreads, found.spreads)
        return _Measure(depth, aliases, max(spreads, level), level)

    def _field(self, node: FieldNode) -> _Measure:
        own = 1 if node.alias is not None else 0
        if node.name.value.startswith("__"):
            return _Measure(0, own, 0)  # GraphiQL's introspection is deep by nature
        if node.selection_set is None:
            return _Measure(0, own, 0)
        below = self.selection(node.selection_set)
        return _Measure(below.depth + 1, below.aliases + own, below.spreads)

    def _spread(self, name: str) -> _Measure:
        done = self._done.get(name)
        if done is not None:
            return done
        fragment = self._fragments.get(name)
        if fragment is None or name in self._open:
            return _Measure(0, 0, 0)
        self._open.add(name)
        measure = self.selection(fragment.selection_set)
        self._open.discard(name)
        self._done[name] = measure
        return measure


def shapes(document: DocumentNode) -> list[OperationShape]:
    """Depth and aliases of each operation in a parsed (not yet validated) document."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    measurer = _Measurer(fragments)
    found: list[OperationShape] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            measure = measurer.selection(definition.selection_set)
            name = definition.name.value if definition.name else "anonymous"
            found.append(OperationShape(name, measure.depth, measure.aliases, measure.spreads))
    return found


def coded(rule: type[ASTValidationRule], code: str) -> type[ASTValidationRule]:
    """`rule`, reporting every error with `extensions.code` = `code`."""

    class Coded(rule):  # type: ignore[misc,valid-type]
        def report_error(self, error: GraphQLError) -> None:
            super().report_error(with_code(error, code))

    Coded.__name__ = Coded.__qualname__ = rule.__name__
    return Coded


def validation_rules(*, introspection: bool) -> tuple[type[ASTValidationRule], ...]:
    """GraphQL's rules and the two Strawberry adds; without introspection, the rule refusing
    it (coded `INTROSPECTION_DISABLED`). The others' errors get `VALIDATION_FAILED` from the
    caller. Built once per store."""
    rules: list[type[ASTValidationRule]] = [
        *specified_rules,
        MaybeNullValidationRule,
        OneOfInputValidationRule,
    ]
    if not introspection:
        rules.append(coded(NoSchemaIntrospectionCustomRule, INTROSPECTION_DISABLED))
    return tuple(rules)
