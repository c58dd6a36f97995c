"""Refusing to seed production data: `--reset` would wipe it, and a seed without it would add
demo accounts whose passwords and bearer tokens are public.

A schema is production when `db push` marked it so (`orm.push.state`: pushed with
`ENVIRONMENT=production` or `--mark-production`) or when the seed runs with
`ENVIRONMENT=production`. Only `--i-know-this-is-production` overrides that, and then the seed
says loudly what it destroys.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from orm.push.production import OVERRIDE_FLAG, describe_rows, production_reason, row_counts
from orm.push.state import read_environment
from seed.db import SEEDED_TABLES
from seed.errors import ProductionDatabaseError
from seed.pg import Connection

__all__ = ["guard_production"]


def _where(url: str, schema: str) -> str:
    parts = urlsplit(url)
    return f'schema "{schema}" of {parts.hostname or "localhost"}:{parts.port or 5432}{parts.path}'


async def guard_production(
    conn: Connection, url: str, schema: str, *, environment: str | None, reset: bool, allow: bool
) -> None:
    """Raises `ProductionDatabaseError` for a production schema unless `allow`."""
    reason = production_reason(await read_environment(conn, schema), environment)
    if reason is None:
        return
    where = _where(url, schema)
    if reset:
        lost = describe_rows(await row_counts(conn, SEEDED_TABLES))
        what = f"--reset would delete every row of {lost}, then load demo data"
    else:
        what = (
            "seeding would add demo accounts whose passwords and bearer tokens are published "
            "in the README"
        )
    if not allow:
        raise ProductionDatabaseError(
            f"Refusing to seed {where}: it is production ({reason}). {what[0].upper()}{what[1:]}."
            f" Nothing was changed. If you really mean it, run again with {OVERRIDE_FLAG}."
        )
    print(f"WARNING: {OVERRIDE_FLAG} given: seeding production {where}: {what}.", file=sys.stderr)
