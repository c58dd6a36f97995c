"""Liveness and dependency health: `/health`, `/health/database`, `/health/cache`.

`/health` answers 200 as long as the process serves requests (the Docker HEALTHCHECK and a
load balancer's liveness probe). The others answer 503 when their dependency fails, with what
failed in the body. `/health/database?detailed=true` adds pool usage from the client's metrics
and per-table row estimates (`pg_class.reltuples`, cheap: no counting); it is monitoring data,
so `MONITORING_ACCESS=admin` restricts it to admins.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse

from api.access import require_monitoring
from api.cache import CacheUnavailableError
from api.context import Services
from api.errors import ApiError, error_response
from orm.runtime.types import JsonValue

__all__ = ["cache_health", "database_health", "liveness", "pool_usage"]

_TABLES = """
SELECT c.relname AS name, c.reltuples::float8 AS estimate,
       pg_total_relation_size(c.oid)::bigint AS bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
ORDER BY c.relname
"""


async def liveness(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def database_health(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    detailed = request.query_params.get("detailed", "").lower() in {"1", "true", "yes"}
    if detailed:
        try:
            await require_monitoring(request)
        except ApiError as error:
            return error_response(error)
    started = time.perf_counter()
    try:
        await services.db.query_raw("SELECT 1")
        body: dict[str, JsonValue] = {"status": "ok"}
        if detailed:
            body["tables"] = await _tables(services)
    except Exception as exc:  # any failure of the database is the answer here
        return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, 503)
    body["latencyMs"] = round((time.perf_counter() - started) * 1000, 3)
    if detailed:
        body["pool"] = pool_usage((await services.db.get_metrics()).model_dump())
    return JSONResponse(body)


async def _tables(services: Services) -> list[JsonValue]:
    rows = await services.db.query_raw(_TABLES)
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
    return JSONResponse({"status": "ok", **body})
