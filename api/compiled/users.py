"""Compiled declarations of the users domain (`api/types/users.py`): `User`, `me`, `user`."""

from __future__ import annotations

from api.compiled import forms
from api.compiled.objects import FieldCompiler, column, declare, id_argument, to_one, viewer_param
from api.compiled.plan import Builder, Fragment, Selected
from api.types.scalars import CENTS
from loaders.cache import TTL
from resolvers.scope import ViewerRole

__all__ = ["USER_TTL", "owner"]

USER_TTL = TTL.USER_DREAMS


def _private(column_name: str, form: str) -> FieldCompiler:
    """Shown to the user themself and administrators (`can_see_private_profile`)."""

    def compile_(builder: Builder, row: object, _selected: Selected) -> Fragment:
        viewer = viewer_param(builder)
        admin = builder.param(lambda inputs: inputs.viewer.role == ViewerRole.ADMIN, "boolean")
        value = f"{row}.{column_name}"
        shown = forms.money(value, CENTS) if form == "money" else forms.string(value)
        return Fragment(f"(CASE WHEN {row}.id = {viewer} OR {admin} THEN {shown} ELSE 'null' END)")

    return compile_


declare(
    "User",
    {
        "id": column("id", forms.string),
        "name": column("name", forms.string),
        "createdAt": column("created_at", forms.timestamp),
        "email": _private("email", "text"),
        "plan": _private("plan", "text"),
        "role": _private("role", "text"),
        "monthlyBudget": _private("monthly_budget", "money"),
    },
)


def owner(user_id_column: str) -> FieldCompiler:
    """The user a row points at (`load_user`), recording `user:{id}` as the resolvers do."""
    return to_one(
        lambda _b, alias, row, _s: f"users {alias} WHERE {alias}.id = {row}.{user_id_column}",
        tag=lambda row: f"'user:' || {row}.{user_id_column}",
    )


def _me(builder: Builder, _root: object, selected: Selected) -> Fragment:
    viewer = viewer_param(builder)
    user = to_one(lambda _b, alias, _row, _s: f"users {alias} WHERE {alias}.id = {viewer}")
    builder.tags.append(
        lambda inputs: [f"user:{inputs.viewer.user_id}"] if inputs.viewer.user_id else []
    )
    builder.ttls.append(lambda inputs: USER_TTL if inputs.viewer.user_id else None)
    return user(builder, None, selected)


def _user(builder: Builder, _root: object, selected: Selected) -> Fragment:
    param = id_argument(builder, selected, tag="user", ttl=USER_TTL)
    user = to_one(lambda _b, alias, _row, _s: f"users {alias} WHERE {alias}.id = {param}")
    return user(builder, None, selected)


declare("Query", {"me": _me, "user": _user})
