"""The sync client's partial type generator (`partial_type_generator` in its generator block)."""

from __future__ import annotations

from tests.orm.conformance.generated.sync_client.models import Post, User

Post.create_partial("PostOnlyPublished", include={"id", "published"})
User.create_partial("UserOnlyName", include={"name"})
