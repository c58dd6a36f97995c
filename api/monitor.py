"""`/monitor/queries?type=slow|usage|unused`: what the database spends its time on.

`slow` and `usage` read `pg_stat_statements` (PostgreSQL 13+ column names: `total_exec_time`,
`mean_exec_time`); when the extension isn't installed the answer says so and how to enable it,
with status 200 (`"available": false`). `unused` lists non-unique indexes of the current schema
that no scan has used since statistics were last reset (`pg_stat_user_indexes.idx_scan = 0`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.access import require_monitoring
from api.context import Services
from api.errors import ApiError, BadRequestError, error_response
from orm.runtime.types import JsonValue

__all__ = ["monitor_queries"]

LIMIT = 20

_HAS_PG_STAT_STATEMENTS = (
    "SELECT 1 AS present FROM pg_extension WHERE extname = 'pg_stat_statements'"
)

STATEMENTS_SQL = """
SELECT left(query, 2000) AS query, calls, total_exec_time::float8 AS total_ms,
       mean_exec_time::float8 AS mean_ms, rows
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND mean_exec_time >= $1
ORDER BY {order} DESC
LIMIT {limit}
"""

_UNUSED_INDEXES = """
SELECT s.relname AS table, s.indexrelname AS index, s.idx_scan::bigint AS scans,
       pg_relation_size(s.indexrelid)::bigint AS bytes
FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE s.idx_scan = 0 AND s.schemaname = current_schema() AND NOT i.indisunique
ORDER BY bytes DESC, s.relname, s.indexrelname
"""

_ENABLE_HINT = (
    "pg_stat_statements is not installed in this database. Add it to shared_preload_libraries "
    "in postgresql.conf, restart PostgreSQL and run CREATE EXTENSION pg_stat_statements."
)


async def monitor_queries(request: Request) -> Response:
    services: Services = request.app.state.services
    kind = request.query_params.get("type", "slow")
    try:
        await require_monitoring(request)
        if kind not in {"slow", "usage", "unused"}:
            raise BadRequestError("`type` must be one of slow, usage, unused.")
    except ApiError as error:
        return error_response(error)
    if kind == "unused":
        rows = await services.db.query_raw(_UNUSED_INDEXES)
        indexes = [
            {"table": r["table"], "index": r["index"], "scans": r["scans"], "bytes": r["bytes"]}
            for r in rows
        ]
        return JSONResponse({"type": kind, "indexes": indexes})
    return JSONResponse(await _statements(services, kind))


async def _statements(services: Services, kind: str) -> dict[str, JsonValue]:
    if not await services.db.query_raw(_HAS_PG_STAT_STATEMENTS):
        return {"type": kind, "available": False, "reason": _ENABLE_HINT, "statements": []}
    threshold = services.settings.slow_query_ms if kind == "slow" else 0.0
    order = "mean_exec_time" if kind == "slow" else "total_exec_time"
    sql = STATEMENTS_SQL.format(order=order, limit=LIMIT)
    try:
        rows = await services.db.query_raw(sql, threshold)
    except Exception as exc:  # installed but not preloaded: the view raises
        return {"type": kind, "available": False, "reason": f"{_ENABLE_HINT} ({exc})"}
    statements = [
        {
            "query": r["query"],
            "calls": int(r["calls"]),
            "totalMs": round(float(r["total_ms"]), 3),
            "meanMs": round(float(r["mean_ms"]), 3),
            "rows": int(r["rows"]),
        }
        for r in rows
    ]
    body: dict[str, JsonValue] = {"type": kind, "available": True, "statements": statements}
    if kind == "slow":
        body["thresholdMs"] = threshold
    return body
