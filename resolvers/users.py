"""Users: the viewer, and other users as owners of what the viewer can see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders.cache import TTL
from resolvers.scope import ViewerRole

if TYPE_CHECKING:
    from prisma.models import User
    from resolvers.scope import RequestScope

__all__ = ["can_see_private_profile", "resolve_me", "resolve_user"]


async def resolve_me(scope: RequestScope) -> User | None:
    """The signed-in user, or None for an anonymous viewer."""
    user_id = scope.viewer.user_id
    if user_id is None:
        return None
    return await resolve_user(scope, user_id)


async def resolve_user(scope: RequestScope, user_id: str) -> User | None:
    scope.depends_on(f"user:{user_id}", ttl=TTL.USER_DREAMS)
    return await scope.loaders.user_by_id.load(user_id)


def can_see_private_profile(scope: RequestScope, user: User) -> bool:
    """Email, plan and budget are shown to the user themself and to administrators."""
    return scope.viewer.user_id == user.id or scope.viewer.role == ViewerRole.ADMIN
