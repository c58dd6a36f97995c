"""Production schemas: why one counts as production, and what a destructive command would lose.

A schema is production when its `_orm_push_state` says so (`orm.push.state`) or when the command
runs with `ENVIRONMENT=production`. `db push --force-reset` (and the seed, which imports this)
refuse to run on one unless given `--i-know-this-is-production`, and say what they would
destroy either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from orm.push.errors import ProductionDatabaseError
from orm.push.names import quote
from orm.push.state import PRODUCTION, ValueReader

__all__ = ["OVERRIDE_FLAG", "describe_rows", "guard_reset", "production_reason", "row_counts"]

OVERRIDE_FLAG = "--i-know-this-is-production"
_CAP = 1_000_000


def production_reason(marked: str | None, environment: str | None) -> str | None:
    """Why the schema counts as production, or None when it doesn't."""
    reasons: list[str] = []
    if (marked or "").lower() == PRODUCTION:
        reasons.append("its _orm_push_state marks it as production")
    if (environment or "").lower() == PRODUCTION:
        reasons.append("ENVIRONMENT=production")
    return " and ".join(reasons) or None


async def row_counts(conn: ValueReader, tables: Sequence[str]) -> list[tuple[str, int]]:
    """(table, rows) for each table on the connection's search_path, counted up to 1,000,001
    (so a huge table costs a bounded scan; `describe_rows` says "more than 1,000,000")."""
    counts: list[tuple[str, int]] = []
    for table in tables:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {quote(table)} LIMIT {_CAP + 1}) AS t"
        counts.append((table, int(str(await conn.fetchval(sql)))))
    return counts


def describe_rows(counts: Sequence[tuple[str, int]]) -> str:
    """`users (10,000 rows), dreams (more than 1,000,000 rows): 1,010,001+ rows in all`."""
    parts = [
        f"{table} ({'more than 1,000,000' if n > _CAP else f'{n:,}'} rows)" for table, n in counts
    ]
    total = sum(n for _, n in counts)
    plus = "+" if any(n > _CAP for _, n in counts) else ""
    return f"{', '.join(parts) or 'no tables'}: {total:,}{plus} rows in all"


async def guard_reset(
    conn: ValueReader,
    where: str,
    *,
    tables: Sequence[str],
    objects: int,
    reason: str | None,
    allow: bool,
    out: Callable[[str], None],
) -> None:
    """Refuses `--force-reset` of a production schema unless `allow`; warns loudly if allowed."""
    if reason is None:
        return
    lost = describe_rows(await row_counts(conn, tables))
    what = f"all {objects} objects of {where}, with the tables {lost}"
    if not allow:
        raise ProductionDatabaseError(
            f"Refusing --force-reset: {where} is production ({reason}). It would drop {what}. "
            f"Nothing was changed. If you really mean to destroy this data, run again with "
            f"{OVERRIDE_FLAG}."
        )
    out(f"WARNING: {OVERRIDE_FLAG} given: --force-reset of production data. Dropping {what}.")
