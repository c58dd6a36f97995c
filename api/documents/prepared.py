"""Prepared documents: each distinct GraphQL document parsed, checked and validated once.

`DocumentStore.prepare(query)` is the one place the API parses and validates a document. It
returns a `PreparedDocument`, remembered under the sha256 of the text: the syntax tree, its
operations (each with its cost plan), the errors that keep it from running (each with an
`extensions.code`) and its normalized form for operation cache keys. A repeated document costs
a hash and a dictionary lookup; a refused one is remembered too, so sending it again costs the
same. The memo is an LRU bounded in entries and in the characters of the documents it keeps.

Per request, `DocumentStore.admit(document, operation_name, variables)` picks the operation
(several operations and no `operationName` is an error, as the GraphQL spec requires), checks
its cost with the request's page sizes and coerces the variables (a value of the wrong type is
the client's mistake, `BAD_USER_INPUT`, never a masked server error). Strawberry then executes
the same syntax tree (`api/extensions/documents.py`), and later execution paths can plan from
`PreparedOperation.node` without parsing anything again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_variable_values,
    parse,
    print_ast,
    validate,
)

from api.cache import OperationDocument
from api.documents.checks import (
    ALIAS_LIMIT,
    COST_LIMIT,
    DEPTH_LIMIT,
    PARSE_FAILED,
    SPREAD_LIMIT,
    TOKEN_LIMIT,
    VALIDATION_FAILED,
    bound_validation_work,
    count_tokens,
    limit_error,
    shapes,
    validation_rules,
    with_code,
)
from api.documents.cost import CostPlan, plan_cost
from api.errors import GraphQLErrors, OperationNameRequiredError, OperationNotFoundError
from api.memory import SizedLru
from orm.runtime.types import JsonValue

__all__ = [
    "BAD_USER_INPUT",
    "Admission",
    "DocumentLimits",
    "DocumentStats",
    "DocumentStore",
    "PreparedDocument",
    "PreparedOperation",
    "document_hash",
]

BAD_USER_INPUT = "BAD_USER_INPUT"


def document_hash(query: str) -> str:
    """The sha256 of `query`'s UTF-8 text, in hex: how persisted and trusted documents are
    named (Apollo, Relay and GraphQL Code Generator hash the same way)."""
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    max_tokens: int = 2_000
    max_depth: int = 10
    max_aliases: int = 15
    max_cost: int = 5_000
    max_spreads: int = 30  # fragment spreads in one selection set (compared pairwise)
    introspection: bool = True
    suggestions: bool = True  # "Did you mean ...?" in validation and variable errors


@dataclass(frozen=True, slots=True)
class PreparedOperation:
    name: str | None
    kind: OperationType
    node: OperationDefinitionNode
    cost: CostPlan


@dataclass(frozen=True, slots=True, eq=False)
class PreparedDocument:
    sha256: str
    query: str
    tokens: int
    ast: DocumentNode | None  # None when the document doesn't lex, parse or fit the limits
    errors: tuple[GraphQLError, ...] = ()  # non-empty: the document can't run
    operations: tuple[PreparedOperation, ...] = ()
    cache_document: OperationDocument | None = None  # normalized, for operation cache keys

    @property
    def runnable(self) -> bool:
        return self.ast is not None and not self.errors

    def operation(self, name: str | None) -> PreparedOperation:
        """The operation a request with `operationName` = `name` runs."""
        if name is None:
            if len(self.operations) == 1:
                return self.operations[0]
            raise OperationNameRequiredError([op.name or "(anonymous)" for op in self.operations])
        for operation in self.operations:
            if operation.name == name:
                return operation
        raise OperationNotFoundError(name, [op.name for op in self.operations if op.name])


@dataclass(frozen=True, slots=True)
class Admission:
    """A request's operation, as it will run: its cost and its coerced variables."""

    operation: PreparedOperation
    cost: int
    variables: Mapping[str, object]


@dataclass(slots=True)
class DocumentStats:
    hits: int = 0
    misses: int = 0
    parsed: int = 0  # documents handed to the parser (a refused token count parses nothing)


class DocumentStore:
    """Prepared documents for one schema and one set of limits (one per app)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: DocumentLimits,
        *,
        max_entries: int = 1_024,
        max_chars: int = 1_000_000,  # parsed and validated: ~130 bytes per character
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.stats = DocumentStats()
        self._rules = validation_rules(introspection=limits.introspection)
        bound_validation_work()
        self._memo = SizedLru[str, PreparedDocument](
            max_entries, max_chars, lambda document: len(document.query)
        )

    def prepare(self, query: str) -> PreparedDocument:
        key = document_hash(query)
        found = self._memo.get(key)
        if found is not None and found.query == query:
            self.stats.hits += 1
            return found
        self.stats.misses += 1
        document = self._prepare(key, query)
        self._memo.put(key, document)
        return document

    def known(self, sha256: str) -> PreparedDocument | None:
        """A runnable document this store prepared, by the sha256 of its text."""
        found = self._memo.get(sha256)
        return found if found is not None and found.runnable else None

    def admit(
        self,
        document: PreparedDocument,
        operation_name: str | None,
        variables: Mapping[str, JsonValue] | None,
    ) -> Admission:
        """Raises `GraphQLErrors` for a document that can't run, an operation over the cost
        limit or variables that don't coerce; `OperationNameRequiredError` /
        `OperationNotFoundError` when `operation_name` doesn't pick one operation."""
        if not document.runnable:
            raise GraphQLErrors(document.errors)
        operation = document.operation(operation_name)
        cost = operation.cost.evaluate(variables)
        if cost > self.limits.max_cost:
            raise GraphQLErrors([_cost_error(operation, cost, self.limits.max_cost)])
        return Admission(operation, cost, self.coerce_variables(operation, variables))

    def coerce_variables(
        self, operation: PreparedOperation, variables: Mapping[str, JsonValue] | None
    ) -> dict[str, object]:
        coerced = get_variable_values(
            self.schema,
            operation.node.variable_definitions or (),
            dict(variables or {}),
            max_errors=20,
            hide_suggestions=not self.limits.suggestions,
        )
        if isinstance(coerced, list):
            raise GraphQLErrors([with_code(error, BAD_USER_INPUT) for error in coerced])
        return coerced.coerced

    def _prepare(self, key: str, query: str) -> PreparedDocument:
        limits = self.limits
        try:
            tokens = count_tokens(query, limits.max_tokens)
        except GraphQLError as error:
            return PreparedDocument(key, query, 0, None, (with_code(error, PARSE_FAILED),))
        if tokens > limits.max_tokens:
            return PreparedDocument(key, query, tokens, None, (_token_error(limits.max_tokens),))
        self.stats.parsed += 1
        try:
            ast = parse(query)
        except GraphQLError as error:
            return PreparedDocument(key, query, tokens, None, (with_code(error, PARSE_FAILED),))
        errors = self._shape_errors(ast) or validate(
            self.schema, ast, self._rules, hide_suggestions=not limits.suggestions
        )
        if errors:
            coded = tuple(with_code(error, VALIDATION_FAILED) for error in errors)
            return PreparedDocument(key, query, tokens, ast, coded)
        return PreparedDocument(
            key,
            query,
            tokens,
            ast,
            operations=self._operations(ast),
            cache_document=OperationDocument(
                print_ast(ast),
                tuple(
                    (d.name.value if d.name else None, d.operation)
                    for d in ast.definitions
                    if isinstance(d, OperationDefinitionNode)
                ),
            ),
        )

    def _shape_errors(self, ast: DocumentNode) -> list[GraphQLError]:
        limits = self.limits
        errors: list[GraphQLError] = []
        for shape in shapes(ast):
            if shape.depth > limits.max_depth:
                message = (
                    f"'{shape.name}' exceeds maximum operation depth of {limits.max_depth} "
                    f"(it nests fields {shape.depth} deep). Ask for less nested data, or "
                    "split the operation."
                )
                errors.append(
                    limit_error(DEPTH_LIMIT, message, depth=shape.depth, limit=limits.max_depth)
                )
            if shape.aliases > limits.max_aliases:
                message = (
                    f"'{shape.name}' uses {shape.aliases} aliases; at most {limits.max_aliases} "
                    "are allowed. Split the operation into several requests."
                )
                figures = {"aliases": shape.aliases, "limit": limits.max_aliases}
                errors.append(limit_error(ALIAS_LIMIT, message, **figures))
            if shape.spreads > limits.max_spreads:
                message = (
                    f"'{shape.name}' spreads {shape.spreads} fragments into one selection; at "
                    f"most {limits.max_spreads} are allowed. Merge fragments, or split the "
                    "operation."
                )
                figures = {"spreads": shape.spreads, "limit": limits.max_spreads}
                errors.append(limit_error(SPREAD_LIMIT, message, **figures))
        return errors

    def _operations(self, ast: DocumentNode) -> tuple[PreparedOperation, ...]:
        fragments = {
            d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)
        }
        return tuple(
            PreparedOperation(
                name=d.name.value if d.name else None,
                kind=d.operation,
                node=d,
                cost=plan_cost(self.schema, d, fragments),
            )
            for d in ast.definitions
            if isinstance(d, OperationDefinitionNode)
        )


def _token_error(limit: int) -> GraphQLError:
    message = (
        f"The document has more than {limit} tokens, the most a document may have. Send a "
        "smaller document: fewer fields, fragments or directives."
    )
    return limit_error(TOKEN_LIMIT, message, limit=limit)


def _cost_error(operation: PreparedOperation, cost: int, limit: int) -> GraphQLError:
    name = operation.name or "anonymous"
    message = (
        f"'{name}' could return about {cost} items (each list's `first`, or 20 when omitted, "
        f"times the lists around it); at most {limit} are allowed. Ask for smaller pages "
        "(`first`) or fewer nested lists, and fetch more with `after`."
    )
    return limit_error(COST_LIMIT, message, cost=cost, limit=limit)
