"""`create_app(settings)`: the Starlette app, its routes and its lifespan.

The lifespan connects everything the routes use and stores it on `app.state.services`:
the database (an embedded PostgreSQL, prepared and seeded, when `DATABASE_URL` is unset), a
one-connection client of its own for health probes (connected by the first probe), the cache
(Redis, or in-process without `REDIS_URL`), the statement counter and the background writer of
response timings. Shutdown flushes the timings, closes the pools and stops an embedded
PostgreSQL.

The document store (`api/documents`) and the trusted documents are built with the app, so a
`TRUSTED_DOCUMENTS` file that can't be read stops the server before it serves anything.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from api.auth import Authenticator
from api.cache import CacheEpochs, build_cache
from api.context import Services
from api.database import EmbeddedDatabase, ready_embedded
from api.documents import DocumentLimits, DocumentStore, PersistedDocuments, TrustedDocuments
from api.endpoint import graphql_endpoint
from api.extensions import schema_extensions
from api.extensions.body_limit import BodySizeLimit
from api.extensions.masking import install_log_filter
from api.extensions.statements import StatementCounter
from api.extensions.timing import ResponseTimeRecorder
from api.freshness import ReadYourWrites
from api.frontend import frontend_routes
from api.health import HealthProbe, cache_health, database_health, liveness
from api.limits.limiter import build_limiter
from api.live import DreamEvents
from api.memory import tune_gc
from api.metrics import ApiMetrics, metrics_endpoint
from api.monitor import monitor_queries
from api.settings import Settings
from loaders import Loaders
from prisma import Prisma

__all__ = ["create_app", "document_store", "load_schema", "server_app"]

STATIC = Path(__file__).parent / "static"

logger = logging.getLogger(__name__)


def load_schema() -> strawberry.Schema:
    """The domain schema from `api/schema.py`, imported when first needed."""
    from api.schema import schema

    return schema


def document_store(schema: strawberry.Schema, settings: Settings) -> DocumentStore:
    limits = DocumentLimits(
        max_tokens=settings.max_tokens,
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_cost=settings.max_query_cost,
        max_spreads=settings.max_fragment_spreads,
        introspection=settings.allows_introspection,
        suggestions=settings.shows_suggestions,
    )
    return DocumentStore(schema._schema, limits)  # pyright: ignore[reportPrivateUsage]


def with_extensions(schema: strawberry.Schema, documents: DocumentStore) -> strawberry.Schema:
    """A copy of `schema` that executes prepared documents and masks errors, per request."""
    extended = copy.copy(schema)
    extended.extensions = (*schema.extensions, *schema_extensions(documents))
    return extended


def create_app(
    settings: Settings | None = None,
    *,
    schema: strawberry.Schema | None = None,
    loaders: Callable[[Prisma], Loaders] = Loaders,
    server: bool = False,
) -> Starlette:
    """The app. `schema` defaults to the domain schema; tests pass small schemas of their own.
    `server`: the app owns its process (a uvicorn worker, `server_app`), so its startup tunes
    the process's garbage collector (`api/memory.py`); an app built in a test or embedded in
    another program leaves the process's collector alone."""
    settings = settings or Settings.from_env()
    base = schema or load_schema()
    documents = document_store(base, settings)
    graphql_schema = with_extensions(base, documents)
    trusted = (
        TrustedDocuments.load(settings.trusted_documents) if settings.trusted_documents else None
    )
    install_log_filter()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncGenerator[None]:
        embedded: EmbeddedDatabase | None = None
        url = settings.database_url
        if url is None:
            embedded = await ready_embedded(settings.data_dir, seed_scale=settings.seed_scale)
            url = embedded.url
        try:
            services = await _start_services(
                settings, graphql_schema, loaders, url, documents=documents, trusted=trusted
            )
            app.state.services = services
            # Subscriptions' LISTEN connection, opened lazily: a session, so never PgBouncer's.
            app.state.live = DreamEvents(settings.direct_url or url)
            if server:  # the process is this worker's: its collector is ours to tune
                tune_gc(settings.gc_threshold)
            try:
                yield
            finally:
                await app.state.live.close()
                await _stop_services(services)
        finally:
            if embedded is not None:
                await embedded.stop()

    return Starlette(
        routes=[*_routes(), *frontend_routes(graphql_schema)],
        middleware=[Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)],
        lifespan=lifespan,
    )


def _routes() -> list[BaseRoute]:
    return [
        Route("/", _to_graphiql, include_in_schema=False),
        Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
        Route("/health", liveness),
        Route("/health/database", database_health),
        Route("/health/cache", cache_health),
        Route("/metrics", metrics_endpoint),
        Route("/monitor/queries", monitor_queries),
        Mount("/static", app=GZipMiddleware(StaticFiles(directory=STATIC)), name="static"),
    ]


async def _to_graphiql(request: Request) -> RedirectResponse:
    return RedirectResponse("/graphql")


def _client(settings: Settings, url: str) -> Prisma:
    return Prisma(
        datasource={"url": url},
        connection_limit=settings.db_connection_limit,
        pool_timeout=settings.db_pool_timeout,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=timedelta(milliseconds=settings.db_statement_timeout_ms),
        slow_query_ms=settings.slow_query_ms,
        full_sql_ms=settings.full_sql_ms,
        replica_urls=settings.database_replica_urls or None,
        raw_rows="native",  # resolvers read Decimal and datetime from raw SQL rows
    )


def _health_client(settings: Settings, url: str) -> Prisma:
    """One connection to the primary, for `/health/database` only: a probe answers while the
    application's pool is exhausted, and waits at most a second for its own connection."""
    return Prisma(
        datasource={"url": url},
        connection_limit=1,
        pool_timeout=1.0,
        connect_timeout=min(settings.db_connect_timeout, 5.0),
        statement_timeout=timedelta(seconds=5),
        replica_urls=[],
    )


async def _start_services(
    settings: Settings,
    schema: strawberry.Schema,
    loaders: Callable[[Prisma], Loaders],
    url: str,
    *,
    documents: DocumentStore,
    trusted: TrustedDocuments | None,
) -> Services:
    db = _client(settings, url)
    await db.connect()
    metrics = ApiMetrics()
    recorder = ResponseTimeRecorder(db, sample_rate=settings.response_time_sample_rate)
    recorder.start()
    listen_url = settings.direct_url or url  # LISTEN needs a session: past PgBouncer
    epochs = CacheEpochs(db, listen_url) if settings.redis_url and settings.cache_enabled else None
    if epochs is not None:
        await epochs.start()
    cache = build_cache(settings, metrics, epochs=epochs)
    persisted = PersistedDocuments(
        documents,
        metrics,
        trusted=trusted,
        registry=cache.backend if settings.persisted_queries else None,
        ttl=settings.persisted_queries_ttl,
    )
    freshness = ReadYourWrites(
        db,
        cache.backend,
        enabled=bool(settings.database_replica_urls),
        ttl=settings.read_your_writes_seconds,
    )
    return Services(
        settings=settings,
        schema=schema,
        db=db,
        cache=cache,
        metrics=metrics,
        authenticator=Authenticator(db, ttl=settings.auth_cache_ttl),
        statements=StatementCounter(db),
        recorder=recorder,
        loaders=loaders,
        documents=documents,
        trusted=trusted,
        health=HealthProbe(_health_client(settings, url)),
        persisted=persisted,
        limits=build_limiter(settings, metrics),
        freshness=freshness,
    )


async def _stop_services(services: Services) -> None:
    await services.recorder.stop()
    services.statements.close()
    await services.cache.close()
    await services.limits.store.close()
    await services.health.close()
    await services.db.disconnect()


def server_app() -> Starlette:
    """What `python -m api` serves in each uvicorn worker: `create_app` owning its process."""
    return create_app(server=True)
