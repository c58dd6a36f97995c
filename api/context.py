"""The app's long-lived services, and the per-request context resolvers receive.

`Services` is built once by the lifespan (`api/app.py`) and lives on `app.state.services`;
`Context` is built per request from it: the authenticated viewer, fresh `Loaders`, and the
`RequestScope` resolvers take instead of Strawberry's `Info`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from resolvers.scope import RequestScope, Viewer

if TYPE_CHECKING:
    import strawberry
    from starlette.requests import Request

    from api.auth import Authenticator
    from api.cache import TaggedCache
    from api.documents import (
        DocumentStore,
        PersistedDocuments,
        PreparedDocument,
        TrustedDocuments,
    )
    from api.extensions.statements import StatementCounter
    from api.extensions.timing import ResponseTimeRecorder
    from api.freshness import ReadYourWrites
    from api.health import HealthProbe
    from api.limits.limiter import RateLimiter
    from api.metrics import ApiMetrics
    from api.settings import Settings
    from loaders import Loaders
    from prisma import Prisma

__all__ = ["Context", "Services"]


@dataclass(slots=True)
class Services:
    settings: Settings
    schema: strawberry.Schema
    db: Prisma
    cache: TaggedCache
    metrics: ApiMetrics
    authenticator: Authenticator
    statements: StatementCounter
    recorder: ResponseTimeRecorder
    loaders: Callable[[Prisma], Loaders]
    documents: DocumentStore
    trusted: TrustedDocuments | None
    health: HealthProbe  # its own connection: health probes never queue behind requests
    persisted: PersistedDocuments  # which document a request runs (text, trusted, or by hash)
    limits: RateLimiter
    freshness: ReadYourWrites  # read-your-writes markers for replica reads


@dataclass(slots=True)
class Context:
    """What `info.context` is in every resolver: `info.context.scope` is the request's scope.
    `document` is the request's prepared document (Strawberry executes its syntax tree)."""

    scope: RequestScope
    request: Request
    document: PreparedDocument | None = None

    @property
    def viewer(self) -> Viewer:
        return self.scope.viewer

    @classmethod
    def build(
        cls,
        services: Services,
        request: Request,
        viewer: Viewer,
        document: PreparedDocument | None = None,
    ) -> Context:
        scope = RequestScope(
            db=services.db,
            loaders=services.loaders(services.db),
            cache=services.cache,
            viewer=viewer,
            write_floor=lambda shared: services.freshness.floor(viewer, shared),
        )
        return cls(scope=scope, request=request, document=document)
