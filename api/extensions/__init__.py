"""Strawberry extensions and ASGI wrappers around the GraphQL endpoint.

`schema_extensions(settings)` returns factories, so every request gets fresh instances.
"""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext

from api.extensions.masking import masked_errors
from api.settings import Settings

__all__ = ["schema_extensions"]


def _is_introspection(context: IgnoreContext) -> bool:
    """GraphiQL's introspection query is deeper than any domain query; it isn't limited."""
    return context.field_name.startswith("__")


def schema_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    return [
        lambda: QueryDepthLimiter(
            max_depth=settings.max_query_depth, should_ignore=_is_introspection
        ),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        masked_errors,
    ]
