"""GraphQL types of the users domain: `User`, and the `me` and `user` queries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.types.common import Info, scope_of
from api.types.enums import Plan, UserRole
from api.types.scalars import CENTS, Money, money
from prisma import models
from resolvers.users import can_see_private_profile, resolve_me, resolve_user

__all__ = ["User", "UserQuery", "load_user"]


@strawberry.type(
    description="A person. Name and join date are public; email, plan, role and budget are "
    "visible to the user themself and administrators only (null for everyone else)."
)
class User:
    id: strawberry.ID = strawberry.field(description="The user's id.")
    name: str = strawberry.field(description="The name shown with their dreams and projects.")
    created_at: datetime = strawberry.field(description="When they joined.")
    model: strawberry.Private[models.User]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(id=strawberry.ID(user.id), name=user.name, created_at=user.createdAt, model=user)

    def _private(self, info: Info) -> models.User | None:
        return self.model if can_see_private_profile(scope_of(info), self.model) else None

    @strawberry.field(description="Their sign-in email (yourself and administrators only).")
    def email(self, info: Info) -> str | None:
        user = self._private(info)
        return None if user is None else user.email

    @strawberry.field(description="Their plan (yourself and administrators only).")
    def plan(self, info: Info) -> Plan | None:
        user = self._private(info)
        return None if user is None else user.plan

    @strawberry.field(description="Their platform role (yourself and administrators only).")
    def role(self, info: Info) -> UserRole | None:
        user = self._private(info)
        return None if user is None else user.role

    @strawberry.field(
        description="What they may spend on AI per calendar month (yourself and administrators "
        "only)."
    )
    def monthly_budget(self, info: Info) -> Money | None:
        user = self._private(info)
        return None if user is None else money(user.monthlyBudget, CENTS)


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

    @strawberry.field(
        description="Anyone's public profile by id (as `owner` and `author` show it); null when "
        "no user has this id."
    )
    async def user(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The user's id.")],
    ) -> User | None:
        user = await resolve_user(scope_of(info), str(id))
        return None if user is None else User.from_model(user)
