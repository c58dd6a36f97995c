"""`create_app(settings)`: the Starlette app, its routes and its lifespan.

The lifespan connects everything the routes use and stores it on `app.state.services`:
the database (an embedded PostgreSQL, prepared and seeded, when `DATABASE_URL` is unset), the
cache (Redis, or in-process without `REDIS_URL`), the statement counter and the background
writer of response timings. Shutdown flushes the timings, closes the pools and stops an
embedded PostgreSQL.
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
from api.cache import build_cache
from api.context import Services
from api.database import EmbeddedDatabase, ready_embedded
from api.endpoint import graphql_endpoint
from api.extensions import schema_extensions
from api.extensions.body_limit import BodySizeLimit
from api.extensions.statements import StatementCounter
from api.extensions.timing import ResponseTimeRecorder
from api.frontend import frontend_routes
from api.health import cache_health, database_health, liveness
from api.live import DreamEvents
from api.metrics import ApiMetrics, metrics_endpoint
from api.monitor import monitor_queries
from api.settings import Settings
from loaders import Loaders
from prisma import Prisma

__all__ = ["create_app", "load_schema"]

STATIC = Path(__file__).parent / "static"

logger = logging.getLogger(__name__)


def load_schema() -> strawberry.Schema:
    """The domain schema from `api/schema.py`, imported when first needed."""
    from api.schema import schema

    return schema


def with_extensions(schema: strawberry.Schema, settings: Settings) -> strawberry.Schema:
    """A copy of `schema` that also runs our limits and error masking, per request."""
    extended = copy.copy(schema)
    extended.extensions = (*schema.extensions, *schema_extensions(settings))
    return extended


def create_app(
    settings: Settings | None = None,
    *,
    schema: strawberry.Schema | None = None,
    loaders: Callable[[Prisma], Loaders] = Loaders,
) -> Starlette:
    """The app. `schema` defaults to the domain schema; tests pass small schemas of their own."""
    settings = settings or Settings.from_env()
    graphql_schema = with_extensions(schema or load_schema(), settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncGenerator[None]:
        embedded: EmbeddedDatabase | None = None
        url = settings.database_url
        if url is None:
            embedded = await ready_embedded(settings.data_dir, seed_scale=settings.seed_scale)
            url = embedded.url
        try:
            services = await _start_services(settings, graphql_schema, loaders, url)
            app.state.services = services
            app.state.live = DreamEvents(url)  # subscriptions' LISTEN connection, opened lazily
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
    )


async def _start_services(
    settings: Settings,
    schema: strawberry.Schema,
    loaders: Callable[[Prisma], Loaders],
    url: str,
) -> Services:
    db = _client(settings, url)
    await db.connect()
    metrics = ApiMetrics()
    recorder = ResponseTimeRecorder(db, sample_rate=settings.response_time_sample_rate)
    recorder.start()
    return Services(
        settings=settings,
        schema=schema,
        db=db,
        cache=build_cache(settings, metrics),
        metrics=metrics,
        authenticator=Authenticator(db, ttl=settings.auth_cache_ttl),
        statements=StatementCounter(db),
        recorder=recorder,
        loaders=loaders,
    )


async def _stop_services(services: Services) -> None:
    await services.recorder.stop()
    services.statements.close()
    await services.cache.backend.close()
    await services.db.disconnect()
