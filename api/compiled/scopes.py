"""Who a root list is for (`filter: {mine: true}` or `{ownerId: ...}`), as the domains'
resolvers decide it: the same refusals (anonymous `mine`, an id that can't be one) and the same
`user:{id}:{kind}` cache tags. Shared by `dreams.py` and `projects.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from api.compiled.objects import viewer_param
from api.compiled.plan import Builder, RequestInputs, Resolved, Selected
from resolvers.errors import ValidationError
from resolvers.validation import checked_id

__all__ = ["argument", "filter_fields", "mine", "owner"]

T = TypeVar("T")


def argument(
    selected: Selected, name: str, convert: Callable[[object], T]
) -> Callable[[RequestInputs], T]:
    """The argument `name` of each request, through `convert`."""
    raw = selected.arg(name)
    return lambda inputs: convert(raw(inputs))


def filter_fields(found: object) -> tuple[Mapping[str, Any], bool, str | None]:
    """A filter input as graphql-core coerces it (a dict, or None): its fields, `mine` and
    `ownerId` (as text)."""
    values: Mapping[str, Any] = (
        cast("Mapping[str, Any]", found) if isinstance(found, Mapping) else {}
    )
    owner_id = values.get("ownerId")
    return values, bool(values.get("mine")), None if owner_id is None else str(owner_id)


def mine(builder: Builder, kind: str) -> str:
    """The signed-in viewer's id parameter; anonymous requests go to the resolvers (their
    AuthenticationError). Records `user:{viewer}:{kind}`."""

    def signed_in(inputs: RequestInputs) -> None:
        if inputs.viewer.user_id is None:
            raise Resolved

    builder.checks.append(signed_in)
    builder.tags.append(lambda inputs: [f"user:{inputs.viewer.user_id}:{kind}"])
    return viewer_param(builder)


def owner(builder: Builder, owner_id: Callable[[RequestInputs], str | None], kind: str) -> str:
    """The `ownerId` filter's parameter; an id `checked_id` refuses goes to the resolvers.
    Records `user:{ownerId}:{kind}`."""

    def checked(inputs: RequestInputs) -> str:
        try:
            return checked_id("filter.ownerId", str(owner_id(inputs)))
        except ValidationError:
            raise Resolved from None

    builder.checks.append(checked)
    builder.tags.append(lambda inputs: [f"user:{checked(inputs)}:{kind}"])
    return builder.param(checked, "text")
