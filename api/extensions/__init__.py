"""Strawberry extensions and ASGI wrappers around the GraphQL endpoint.

`schema_extensions(settings)` returns factories, so every request gets fresh instances. What
doesn't depend on the request is built once here: the limit rules (classes that Strawberry's
limiters would otherwise create per request) and the memo of parsed and validated documents,
which is keyed by those rule classes.
"""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext

from api.extensions.documents import DocumentCache, DocumentMemo
from api.extensions.masking import masked_errors
from api.settings import Settings

__all__ = ["schema_extensions"]


def _is_introspection(context: IgnoreContext) -> bool:
    """GraphiQL's introspection query is deeper than any domain query; it isn't limited."""
    return context.field_name.startswith("__")


def schema_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    depth = QueryDepthLimiter(max_depth=settings.max_query_depth, should_ignore=_is_introspection)
    aliases = MaxAliasesLimiter(max_alias_count=settings.max_aliases)
    rules = [*depth.validation_rules, *aliases.validation_rules]
    memo = DocumentMemo()
    return [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: DocumentCache(memo),
        masked_errors,
    ]
