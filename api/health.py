"""Liveness and dependency health: `/health`, `/health/database`, `/health/cache`.

`/health` answers 200 as long as the process serves requests (the Docker HEALTHCHECK and a
load balancer's liveness probe). The others answer 503 when their dependency fails, with what
failed in the body. `/health/database` runs on a connection of its own (`HealthProbe`, opened by
the first probe), never the application's pool, so it answers in milliseconds while requests
are being refused with 503 because that pool is exhausted. `/health/database?detailed=true` adds the
application pool's usage from the client's metrics and per-table row estimates
(`pg_class.reltuples`, cheap: no counting); it is monitoring data, so `MONITORING_ACCESS=admin`
restricts it to admins.
"""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.access import require_monitoring
from api.cache import CacheUnavailableError
from api.context import Services
from api.errors import ApiError, error_response
from api.replicas import routing_report
from orm.runtime.types import JsonValue
from prisma import Prisma

__all__ = ["HealthProbe", "cache_health", "database_health", "liveness", "pool_usage"]

_TABLES = """
SELECT c.relname AS name, c.reltuples::float8 AS estimate,
       pg_total_relation_size(c.oid)::bigint AS bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
ORDER BY c.relname
"""


class HealthProbe:
    """The probe's own one-connection client, connected by the first probe that needs it (a
    worker nobody probes holds no extra connection) and again after a failure."""

    def __init__(self, db: Prisma) -> None:
        self.db = db
        self._connecting = asyncio.Lock()

    async def client(self) -> Prisma:
        async with self._connecting:
            if not self.db.is_connected():
                await self.db.connect()
        return self.db

    async def close(self) -> None:
        await self.db.disconnect()


async def liveness(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def database_health(request: Request) -> Response:
    services: Services = request.app.state.services
    detailed = request.query_params.get("detailed", "").lower() in {"1", "true", "yes"}
    if detailed:
        try:
            await require_monitoring(request)
        except ApiError as error:
            return error_response(error)
    started = time.perf_counter()
    try:
        db = await services.health.client()
        await db.query_raw("SELECT 1")
        body: dict[str, JsonValue] = {"status": "ok"}
        if detailed:
            body["tables"] = await _tables(db)
    except Exception as exc:  # any failure of the database is the answer here
        return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, 503)
    body["latencyMs"] = round((time.perf_counter() - started) * 1000, 3)
    routing = routing_report(services.db)
    if routing is not None:  # a replica down or lagging: reads fall back, so still 200
        body["replicas"] = routing
    if detailed:
        body["pool"] = pool_usage((await services.db.get_metrics()).model_dump())
    return JSONResponse(body)


async def _tables(db: Prisma) -> list[JsonValue]:
    rows = await db.query_raw(_TABLES)
    return [
        {
            "table": row["name"],
            # -1 until the table's first ANALYZE (or autovacuum) has run.
            "estimatedRows": None if row["estimate"] < 0 else int(row["estimate"]),
            "totalBytes": int(row["bytes"]),
        }
        for row in rows
    ]


def pool_usage(client_metrics: dict[str, JsonValue]) -> dict[str, dict[str, int]]:
    """`{"primary": {"open": .., "busy": .., "idle": .., "waiting": ..}, ...}` per pool."""
    names = {
        "prisma_pool_connections_open": "open",
        "prisma_pool_connections_busy": "busy",
        "prisma_pool_connections_idle": "idle",
        "prisma_client_queries_wait": "waiting",
    }
    pools: dict[str, dict[str, int]] = {}
    for gauge in client_metrics.get("gauges", []):
        state = names.get(gauge.get("key"))
        if state is not None:
            pool = str(gauge.get("labels", {}).get("pool", "primary"))
            pools.setdefault(pool, {})[state] = int(gauge.get("value", 0))
    return pools


async def cache_health(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    cache = services.cache
    body: dict[str, JsonValue] = {
        "backend": cache.backend.kind,
        "enabled": cache.enabled,
        "hitRatio": {level: services.metrics.hit_ratio(level) for level in ("operation", "result")},
    }
    started = time.perf_counter()
    try:
        await cache.backend.ping()
    except CacheUnavailableError as exc:
        return JSONResponse({"status": "unavailable", "error": str(exc), **body}, 503)
    body["latencyMs"] = round((time.perf_counter() - started) * 1000, 3)
    routing = routing_report(services.db)
    if routing is not None:  # a replica down or lagging: reads fall back, so still 200
        body["replicas"] = routing
    return JSONResponse({"status": "ok", **body})
