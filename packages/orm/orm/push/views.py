"""`db refresh-views`: refresh every materialized view of the target schema.

Views are refreshed dependencies first. With `concurrently`, a view that has a unique index and
is populated is refreshed with REFRESH ... CONCURRENTLY (readers are not blocked); any other view
falls back to a plain refresh, and the output says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from orm.push.db import Connection
from orm.push.names import quote

__all__ = ["MaterializedView", "materialized_views", "refresh_views"]

_NS = "(SELECT oid FROM pg_namespace WHERE nspname = $1)"
VIEWS_SQL = f"""
SELECT c.relname AS name, c.relispopulated AS populated,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
               AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL) AS has_unique,
       ARRAY(SELECT DISTINCT dep.relname FROM pg_rewrite r
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
             JOIN pg_class dep ON dep.oid = d.refobjid
             WHERE r.ev_class = c.oid AND dep.relkind = 'm' AND dep.oid <> c.oid
               AND dep.relnamespace = c.relnamespace) AS depends_on
FROM pg_class c
WHERE c.relnamespace = {_NS} AND c.relkind = 'm'
ORDER BY c.relname
"""


@dataclass(frozen=True)
class MaterializedView:
    name: str
    populated: bool
    has_unique_index: bool
    depends_on: tuple[str, ...]


async def materialized_views(conn: Connection, schema: str) -> list[MaterializedView]:
    """The schema's materialized views, each after the views it reads."""
    rows = await conn.fetch(VIEWS_SQL, schema)
    views = {
        r["name"]: MaterializedView(
            r["name"], r["populated"], r["has_unique"], tuple(r["depends_on"])
        )
        for r in rows
    }
    ordered: list[MaterializedView] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in views:
            return
        seen.add(name)
        for dependency in views[name].depends_on:
            visit(dependency)
        ordered.append(views[name])

    for name in views:
        visit(name)
    return ordered


async def refresh_views(
    conn: Connection, schema: str, *, concurrently: bool, out: Callable[[str], None]
) -> int:
    """Refreshes every materialized view; returns how many."""
    views = await materialized_views(conn, schema)
    if not views:
        out(f'No materialized views in schema "{schema}".')
        return 0
    for view in views:
        started = time.perf_counter()
        can = concurrently and view.populated and view.has_unique_index
        how = "CONCURRENTLY " if can else ""
        await conn.execute(f"REFRESH MATERIALIZED VIEW {how}{quote(view.name)}")
        note = ""
        if concurrently and not can:
            why = "no unique index" if view.populated else "not populated yet"
            note = f" (plain refresh: {why})"
        out(f"  refreshed {view.name} in {time.perf_counter() - started:.2f}s{note}")
    out(f"Refreshed {len(views)} materialized views.")
    return len(views)
