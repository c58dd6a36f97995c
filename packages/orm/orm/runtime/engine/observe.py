"""Every statement, once: metrics, query listeners, the query log and the slow-query log.

Slow statements are logged at WARNING with the SQL (shortened) and the Python types of the
parameters, never their values; past `full_sql_ms` at ERROR with the whole SQL. Events are only
built when someone listens, so an unobserved statement costs a counter and a histogram bucket.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from time import perf_counter

from orm.runtime.recorder import MetricsRecorder

__all__ = ["Observer", "QueryEvent", "QueryListener"]

logger = logging.getLogger("orm.query")

_SHORT_SQL = 500


@dataclass(frozen=True, slots=True)
class QueryEvent:
    """One executed SQL statement, as seen by query listeners (tests count these)."""

    sql: str
    param_types: tuple[str, ...]
    duration_ms: float
    model: str | None
    action: str | None
    rows: int | None
    error: str | None = None
    params: tuple[object, ...] = ()
    """The values bound to `$1`, `$2`, ... (as Prisma's query event has them): listeners run in
    the process, and nothing here logs them."""


QueryListener = Callable[[QueryEvent], None]


def _types(params: Sequence[object]) -> tuple[str, ...]:
    return tuple(type(value).__name__ for value in params)


def _short(sql: str) -> str:
    return sql if len(sql) <= _SHORT_SQL else sql[:_SHORT_SQL] + " …"


class Observer:
    def __init__(
        self,
        *,
        slow_query_ms: float = 200.0,
        full_sql_ms: float = 1000.0,
        log_queries: bool = False,
    ) -> None:
        self.slow_query_ms = slow_query_ms
        self.full_sql_ms = full_sql_ms
        self.log_queries = log_queries
        self.listeners: list[QueryListener] = []
        self.metrics = MetricsRecorder()

    def done(
        self,
        sql: str,
        params: Sequence[object],
        started: float,
        *,
        model: str | None,
        action: str | None,
        rows: int | None,
        error: BaseException | None = None,
    ) -> None:
        duration_ms = (perf_counter() - started) * 1000.0
        self.metrics.record(model, action, duration_ms)
        if error is not None:
            self.metrics.record_error(model, action, type(error).__name__)
        if duration_ms >= self.slow_query_ms:
            self._log_slow(sql, params, duration_ms, model, action)
        if self.log_queries:
            logger.info("%.1f ms %s.%s %s", duration_ms, model, action, sql)
        if self.listeners:
            event = QueryEvent(
                sql=sql,
                param_types=_types(params),
                duration_ms=duration_ms,
                model=model,
                action=action,
                rows=rows,
                error=None if error is None else f"{type(error).__name__}: {error}",
                params=tuple(params),
            )
            self._notify(event)

    def _notify(self, event: QueryEvent) -> None:
        for listener in tuple(self.listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("query listener %r failed; the statement was unaffected", listener)

    def _log_slow(
        self,
        sql: str,
        params: Sequence[object],
        duration_ms: float,
        model: str | None,
        action: str | None,
    ) -> None:
        self.metrics.slow += 1
        where = f"{model}.{action}" if model else (action or "statement")
        if duration_ms >= self.full_sql_ms:
            logger.error(
                "very slow statement (%.0f ms, %s) params=%s sql=%s",
                duration_ms,
                where,
                _types(params),
                sql,
            )
        else:
            logger.warning(
                "slow statement (%.0f ms, %s) params=%s sql=%s",
                duration_ms,
                where,
                _types(params),
                _short(sql),
            )
