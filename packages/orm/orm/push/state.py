"""`_orm_push_state`: what db push keeps in the schema it manages, one row per key.

- `objects`: the objects the last push applied (JSON list of `ObjectKey`s, see
  `orm.push.scope`), so the next one knows which absent-from-the-schema objects it may drop.
- `environment`: `production` marks the schema as production data. db push writes it when run
  with `ENVIRONMENT=production` or `--mark-production`; an operator can write it by hand:

      INSERT INTO _orm_push_state (key, value) VALUES ('environment', 'production')
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;

  `db push --force-reset` and `python -m seed` refuse to run on a marked schema unless given
  `--i-know-this-is-production`. Only deleting the row (by hand) removes the mark.
"""

from __future__ import annotations

import json
from typing import Protocol, cast

from orm.push.db import Connection
from orm.push.names import quote
from orm.push.scope import ObjectKey

__all__ = [
    "PRODUCTION",
    "STATE_TABLE",
    "ValueReader",
    "read_environment",
    "read_owned",
    "state_is_current",
    "write_state",
]

STATE_TABLE = "_orm_push_state"
PRODUCTION = "production"
_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
    " updated_at TIMESTAMPTZ NOT NULL DEFAULT now())"
)
_UPSERT = (
    f"INSERT INTO {STATE_TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key)"
    " DO UPDATE SET value = EXCLUDED.value, updated_at = now()"
)


class ValueReader(Protocol):
    """Any asyncpg-like connection (the seed has its own typed view of asyncpg)."""

    async def fetchval(self, query: str, *args: object) -> object: ...


async def _read(conn: ValueReader, schema: str, key: str) -> str | None:
    table = f"{quote(schema)}.{STATE_TABLE}"
    if await conn.fetchval("SELECT to_regclass($1)", table) is None:
        return None
    value = await conn.fetchval(f"SELECT value FROM {table} WHERE key = $1", key)
    return None if value is None else str(value)


async def read_environment(conn: ValueReader, schema: str) -> str | None:
    """The environment `schema` is marked with (`production`), or None."""
    return await _read(conn, schema, "environment")


async def read_owned(conn: ValueReader, schema: str) -> frozenset[ObjectKey] | None:
    """The objects the last push recorded, or None if none was recorded."""
    text = await _read(conn, schema, "objects")
    if text is None:
        return None
    entries = cast(list[list[str]], json.loads(text))
    return frozenset((kind, table, name) for kind, table, name in entries)


async def state_is_current(
    conn: ValueReader, schema: str, *, owned: set[ObjectKey], environment: str | None
) -> bool:
    """Whether `owned` (and `environment`, if given) are what the schema records already."""
    if await read_owned(conn, schema) != frozenset(owned):
        return False
    return environment is None or await read_environment(conn, schema) == environment


async def write_state(
    conn: Connection, schema: str, *, owned: set[ObjectKey], environment: str | None
) -> None:
    """Records `owned` (and `environment`, if given) unless already recorded as such."""
    if await state_is_current(conn, schema, owned=owned, environment=environment):
        return
    await conn.execute(_CREATE)
    await conn.execute(_UPSERT, "objects", json.dumps(sorted(owned), separators=(",", ":")))
    if environment is not None:
        await conn.execute(_UPSERT, "environment", environment)
