"""Strawberry extensions and ASGI wrappers around the GraphQL endpoint.

`schema_extensions(documents)` returns factories, so every request gets fresh instances; the
`DocumentStore` they share is built once per app (`api/app.py`). The limits themselves (tokens,
depth, aliases, cost) live in `api/documents`, which checks them before anything executes.
"""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import SchemaExtension

from api.documents import DocumentStore
from api.extensions.documents import PreparedDocuments
from api.extensions.masking import masked_errors

__all__ = ["schema_extensions"]


def schema_extensions(documents: DocumentStore) -> list[Callable[[], SchemaExtension]]:
    return [lambda: PreparedDocuments(documents), masked_errors]
