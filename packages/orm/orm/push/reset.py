"""`--force-reset`: drop every object of the target schema, keeping the schema and its grants.

Objects that belong to an extension are left to the extension.
"""

from __future__ import annotations

from orm.push.db import Connection

__all__ = ["reset_statements", "reset_tables"]

_NS = "(SELECT oid FROM pg_namespace WHERE nspname = $1)"
_NOT_EXTENSION = (
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass"
    " AND d.objid = {oid} AND d.deptype = 'e')"
)
OBJECTS_SQL = f"""
SELECT CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'v' THEN 'VIEW'
            WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind,
       format('%I', c.relname) AS name,
       CASE c.relkind WHEN 'm' THEN 1 WHEN 'v' THEN 2 WHEN 'S' THEN 4 ELSE 3 END AS rank
FROM pg_class c
WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND NOT c.relispartition AND {_NOT_EXTENSION.format(catalog="pg_class", oid="c.oid")}
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('%I', t.typname), 5
FROM pg_type t
WHERE t.typnamespace = {_NS} AND (t.typtype IN ('e', 'd', 'r')
      OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
  AND {_NOT_EXTENSION.format(catalog="pg_type", oid="t.oid")}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
       format('%I(%s)', p.proname, pg_get_function_identity_arguments(p.oid)), 6
FROM pg_proc p
WHERE p.pronamespace = {_NS} AND {_NOT_EXTENSION.format(catalog="pg_proc", oid="p.oid")}
ORDER BY rank, name
"""


async def reset_statements(conn: Connection, schema: str) -> list[str]:
    """DROP ... CASCADE for each object of `schema`; IF EXISTS because cascades overlap."""
    rows = await conn.fetch(OBJECTS_SQL, schema)
    return [f"DROP {r['kind']} IF EXISTS {r['name']} CASCADE" for r in rows]


async def reset_tables(conn: Connection, schema: str) -> list[str]:
    """The tables a reset drops, in name order (the push locks them before dropping anything)."""
    rows = await conn.fetch(
        f"SELECT c.relname FROM pg_class c WHERE c.relnamespace = {_NS}"
        " AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        f" AND {_NOT_EXTENSION.format(catalog='pg_class', oid='c.oid')} ORDER BY c.relname",
        schema,
    )
    return [str(r["relname"]) for r in rows]
