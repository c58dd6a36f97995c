"""GraphQL types of the users domain: `User` and the `me` query."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import Plan, UserRole
from prisma import models
from resolvers.users import can_see_private_profile, resolve_me, resolve_user

__all__ = ["User", "UserQuery", "load_user"]


@strawberry.type
class User:
    """A person. Email, plan and budget are visible to the user themself and administrators
    only (null for everyone else)."""

    id: strawberry.ID
    name: str
    created_at: datetime
    model: strawberry.Private[models.User]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(id=strawberry.ID(user.id), name=user.name, created_at=user.createdAt, model=user)

    def _private(self, info: Info) -> models.User | None:
        return self.model if can_see_private_profile(scope_of(info), self.model) else None

    @strawberry.field
    def email(self, info: Info) -> str | None:
        user = self._private(info)
        return None if user is None else user.email

    @strawberry.field
    def plan(self, info: Info) -> Plan | None:
        user = self._private(info)
        return None if user is None else user.plan

    @strawberry.field
    def role(self, info: Info) -> UserRole | None:
        user = self._private(info)
        return None if user is None else user.role

    @strawberry.field
    def monthly_budget(self, info: Info) -> Decimal | None:
        user = self._private(info)
        return None if user is None else user.monthlyBudget


async def load_user(info: Info, user_id: str) -> User:
    """An owner or author the viewer is allowed to know about (their content is visible)."""
    user = await resolve_user(scope_of(info), user_id)
    if user is None:  # the foreign keys make this unreachable short of a concurrent delete
        raise LookupError(f"user {user_id} vanished")
    return User.from_model(user)


@strawberry.type
class UserQuery:
    @strawberry.field(description="The signed-in user; null for anonymous requests.")
    async def me(self, info: Info) -> User | None:
        user = await resolve_me(scope_of(info))
        return None if user is None else User.from_model(user)
