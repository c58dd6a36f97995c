"""The files in sql/ can be applied again and again: `db push` reruns a file whenever it changes."""

from __future__ import annotations

from seed.pg import Connection, connect
from tests.seed.conftest import ROOT, MakeSchema

_CATALOG = """
SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT 'constraint ' || conname FROM pg_constraint
 WHERE connamespace = current_schema()::regnamespace
UNION ALL
SELECT 'view ' || matviewname FROM pg_matviews WHERE schemaname = current_schema()
"""


async def catalog(conn: Connection) -> set[str]:
    return {str(row[0]) for row in await conn.fetch(_CATALOG)}


async def test_sql_files_are_idempotent(make_schema: MakeSchema):
    conn = await connect(await make_schema())
    try:
        before = await catalog(conn)
        assert {"index idx_dreams_active", "constraint chk_token_usage_total"} <= before
        assert {"view user_token_summary", "view project_stats"} <= before
        for path in sorted((ROOT / "sql").glob("*.sql")):
            await conn.execute(path.read_text())
        assert await catalog(conn) == before
    finally:
        await conn.close()
