"""Keys for whole-operation caching, and which requests may use it.

A cached operation is identified by its normalized document (parsed and printed again, so
whitespace, commas and comments don't matter), the operation name, the variables (as canonical
JSON) and the viewer's cache scope (`public`, or `user:<id>` for a signed-in viewer: one user's
private answer is never served to another). Only queries are cached; a request opts out with
`"extensions": {"cache": false}` in its JSON body.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast

from orm.runtime.types import JsonValue

__all__ = ["OperationDocument", "describe", "operation_key", "wants_cache"]


@dataclass(frozen=True, slots=True)
class OperationDocument:
    normalized: str
    # Type of each named operation; the key None is the single anonymous one.
    operations: tuple[tuple[str | None, OperationType], ...]

    def operation_type(self, name: str | None) -> OperationType | None:
        """Type of the operation a request with `name` runs; None when GraphQL would reject it."""
        if name is None:
            return self.operations[0][1] if len(self.operations) == 1 else None
        return next((kind for op, kind in self.operations if op == name), None)


CACHED_DOCUMENT_CHARS = 8_192  # longer documents are parsed per request, not kept


def describe(query: str) -> OperationDocument | None:
    """The parsed shape of `query`, or None when it doesn't parse (GraphQL reports why).

    Parsed once per distinct document: clients send the same few documents over and over. The
    memo is bounded in entries and in the size of what it keeps.
    """
    if len(query) > CACHED_DOCUMENT_CHARS:
        return _describe.__wrapped__(query)
    return _describe(query)


@lru_cache(maxsize=2048)
def _describe(query: str) -> OperationDocument | None:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operations = tuple(
        (node.name.value if node.name else None, node.operation)
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode)
    )
    return OperationDocument(print_ast(document), operations)


def wants_cache(extensions: JsonValue) -> bool:
    """False when the request body says `"extensions": {"cache": false}`."""
    if not isinstance(extensions, dict):
        return True
    return cast("dict[str, JsonValue]", extensions).get("cache") is not False


def operation_key(
    document: OperationDocument,
    operation_name: str | None,
    variables: dict[str, JsonValue] | None,
    cache_scope: str,
) -> str:
    material = json.dumps(
        [document.normalized, operation_name, variables or {}, cache_scope],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return "op:" + hashlib.sha256(material.encode()).hexdigest()
