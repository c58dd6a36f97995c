"""Partial types (databases/tests/test_partials.py and the partial-types docs): types made by
`tests/orm/conformance/partial_types.py` at generation, queried with `.prisma()`."""

from __future__ import annotations

import pytest

from tests.orm.conformance.generated import sync_client as sync
from tests.orm.conformance.generated.client import Prisma, errors
from tests.orm.conformance.generated.client.bases import BasePost
from tests.orm.conformance.generated.client.partials import (
    PostOnlyPublished,
    PostWithAuthor,
    PostWithCustomAuthor,
    UserOnlyName,
    UserOptionalName,
    UserRequiredEmail,
    UserWithoutEmail,
)
from tests.orm.conformance.generated.sync_client import partials as sync_partials


class SubclassedPostOnlyPublished(PostOnlyPublished):
    @property
    def is_public(self) -> bool:
        return self.published


class PostTitle(BasePost):
    """A user's own model from `prisma.bases`."""

    title: str


async def test_scalar_fields(client: Prisma) -> None:
    post = await PostOnlyPublished.prisma(client).create({"title": "foo", "published": False})
    assert isinstance(post, PostOnlyPublished)
    assert post.published is False
    assert not hasattr(post, "title")
    found = await PostOnlyPublished.prisma(client).find_many()
    assert [p.model_dump() for p in found] == [{"id": post.id, "published": False}]


async def test_relational_fields(client: Prisma) -> None:
    post = await PostWithAuthor.prisma(client).create(
        {"title": "foo", "published": True, "author": {"create": {"name": "Robert"}}}
    )
    assert post.title == "foo"
    assert post.author is None
    post2 = await PostWithAuthor.prisma(client).find_first(
        where={"id": post.id}, include={"author": True}
    )
    assert post2 is not None
    assert post2.author is not None
    assert post2.author.name == "Robert"


async def test_include_missing_relational_field(client: Prisma) -> None:
    user = await UserOnlyName.prisma(client).create(
        {
            "name": "Robert",
            "profile": {"create": {"bio": "Robert's profile", "country": "Scotland"}},
        }
    )
    assert user.name == "Robert"
    with pytest.raises(errors.UnknownRelationalFieldError) as exc:
        await UserOnlyName.prisma(client).find_first(
            where={"name": "Robert"}, include={"profile": True}
        )
    assert exc.match(
        r'Field: "profile" either does not exist or is not a relational field on the '
        r"UserOnlyName model"
    )


async def test_custom_relational_fields(client: Prisma) -> None:
    post = await PostWithCustomAuthor.prisma(client).create(
        {"title": "foo", "published": True, "author": {"create": {"name": "Robert"}}}
    )
    post2 = await PostWithCustomAuthor.prisma(client).find_first(
        where={"id": post.id}, include={"author": True}
    )
    assert post2 is not None
    assert isinstance(post2.author, UserOnlyName)
    assert post2.author.name == "Robert"
    assert not hasattr(post2.author, "id")


async def test_custom_model(client: Prisma) -> None:
    post = await SubclassedPostOnlyPublished.prisma(client).create(
        {"title": "foo", "published": True}
    )
    assert isinstance(post, SubclassedPostOnlyPublished)
    assert post.is_public


async def test_bases_subclass(client: Prisma) -> None:
    await client.post.create({"title": "hello", "published": True, "views": 3})
    posts = await PostTitle.prisma(client).find_many(where={"views": 3})
    assert [p.model_dump() for p in posts] == [{"title": "hello"}]


async def test_optionality_follows_the_script(client: Prisma) -> None:
    fields = UserRequiredEmail.model_fields
    assert fields["email"].is_required()
    assert "posts" not in fields
    assert not UserOptionalName.model_fields["name"].is_required()
    assert "email" not in UserWithoutEmail.model_fields
    await client.user.create({"name": "no email"})
    with pytest.raises(ValueError, match="email"):
        await UserRequiredEmail.prisma(client).find_first_or_raise()
    named = await UserOptionalName.prisma(client).find_first_or_raise()
    assert named.name == "no email"


def test_create_partial_outside_generation() -> None:
    from tests.orm.conformance.generated.client.models import User

    with pytest.raises(RuntimeError, match="outside of client generation"):
        User.create_partial("Nope", include={"name"})


def test_sync_client_partials(sync_client: sync.Prisma) -> None:
    """databases/sync_tests/test_partials.py: the same, without `await`."""
    post = sync_partials.PostOnlyPublished.prisma(sync_client).create(
        {"title": "foo", "published": True}
    )
    assert post.published is True
    assert not hasattr(post, "title")
    sync_client.user.create({"name": "Robert"})
    [user] = sync_partials.UserOnlyName.prisma(sync_client).find_many()
    assert isinstance(user, sync_partials.UserOnlyName)
    assert user.model_dump() == {"name": "Robert"}
