"""Parse and validate each distinct document once per process, not once per request.

Strawberry parses and validates the document of every request it executes, and clients send the
same few documents over and over. `DocumentCache` keeps, per query text, the parsed document
(per set of parse options, so the token limit still applies) and its validation errors (per set
of validation rules), in one bounded memo per app. Documents that don't parse are not kept:
Strawberry parses them again and reports the error as usual. Documents longer than
`CACHED_DOCUMENT_CHARS` are parsed and validated per request, so one client can't fill the
memo with large documents.

The rules in the key are classes, so they must be built once per app (`schema_extensions`
does), not per request, or no lookup would ever hit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

from graphql import GraphQLError, parse, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

if TYPE_CHECKING:
    from graphql import ASTValidationRule, DocumentNode, GraphQLSchema

__all__ = ["CACHED_DOCUMENT_CHARS", "DocumentCache", "DocumentMemo"]

CACHED_DOCUMENT_CHARS = 8_192

K = TypeVar("K")
V = TypeVar("V")

ParseKey = tuple[str, tuple[tuple[str, object], ...]]
ValidateKey = tuple[str, int, tuple[type["ASTValidationRule"], ...]]


class DocumentMemo:
    """LRU memos of parsed documents and validation errors, `max_entries` each."""

    def __init__(self, max_entries: int = 512) -> None:
        self._max = max_entries
        self._parsed: OrderedDict[ParseKey, DocumentNode] = OrderedDict()
        self._errors: OrderedDict[ValidateKey, list[GraphQLError]] = OrderedDict()

    def parse(self, query: str, options: Mapping[str, object]) -> DocumentNode | None:
        """The parsed document, or None when it doesn't parse (the caller reports why)."""
        key: ParseKey = (query, tuple(sorted(options.items())))
        document = self._parsed.get(key)
        if document is None:
            try:
                document = parse(query, **options)  # pyright: ignore[reportArgumentType]
            except GraphQLError:
                return None
            self._remember(self._parsed, key, document)
        return document

    def validate(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        key: ValidateKey = (query, id(schema), rules)
        errors = self._errors.get(key)
        if errors is None:
            errors = validate(schema, document, rules)
            self._remember(self._errors, key, errors)
        return errors

    def _remember(self, memo: OrderedDict[K, V], key: K, value: V) -> None:
        memo[key] = value
        if len(memo) > self._max:
            memo.popitem(last=False)


class DocumentCache(SchemaExtension):
    """Pass as a factory closing over one `DocumentMemo` per app."""

    def __init__(self, memo: DocumentMemo) -> None:
        self._memo = memo
        self._document: DocumentNode | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if query and len(query) <= CACHED_DOCUMENT_CHARS and context.graphql_document is None:
            self._document = self._memo.parse(query, context.parse_options)
            context.graphql_document = self._document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = self._document
        if document is not None and context.graphql_document is document and context.query:
            context.pre_execution_errors = self._memo.validate(
                context.schema._schema,  # pyright: ignore[reportPrivateUsage]
                context.query,
                document,
                _with_strawberry_rules(context.validation_rules),
            )
        yield


def _with_strawberry_rules(
    rules: tuple[type[ASTValidationRule], ...],
) -> tuple[type[ASTValidationRule], ...]:
    """The rules Strawberry's own validation adds to the configured ones."""
    return (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
