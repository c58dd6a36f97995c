"""Strawberry executes the request's prepared document: it neither parses nor validates.

The endpoint has already prepared and admitted the document (`api/documents`) and passes it in
the context (`Context.document`); `PreparedDocuments` hands its syntax tree to Strawberry before
Strawberry would parse, and its validation result before Strawberry would validate. Called
without one (`schema.execute(...)` directly, as some tests do), it prepares the text through the
same store, so a document is parsed and validated in one place only.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from api.context import Context
from api.documents import DocumentStore, PreparedDocument

__all__ = ["PreparedDocuments"]


class PreparedDocuments(SchemaExtension):
    """Pass as a factory closing over the app's `DocumentStore`."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store
        self._document: PreparedDocument | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if query and context.graphql_document is None:
            given = context.context
            document = given.document if isinstance(given, Context) else None
            if document is None or document.query != query:
                document = self._store.prepare(query)
            if document.ast is not None:
                context.graphql_document = document.ast
                self._document = document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = self._document
        if document is not None and context.graphql_document is document.ast:
            context.pre_execution_errors = list(document.errors)
        yield
