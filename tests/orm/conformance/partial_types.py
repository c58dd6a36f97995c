"""The conformance schema's partial type generator (`partial_type_generator` in its generator
blocks), written as prisma-client-py's `databases/partials.py` and docs do."""

from __future__ import annotations

from tests.orm.conformance.generated.client.models import Post, User

Post.create_partial("PostOnlyPublished", include={"id", "published"})
User.create_partial("UserOnlyName", include={"name"})
User.create_partial("UserWithoutEmail", exclude={"email"})
User.create_partial("UserRequiredEmail", required={"email"}, exclude_relational_fields=True)
User.create_partial("UserOptionalName", optional={"name"}, include={"id", "name"})
Post.create_partial("PostWithAuthor", include={"id", "title", "author"})
Post.create_partial(
    "PostWithCustomAuthor", include={"id", "title", "author"}, relations={"author": "UserOnlyName"}
)
