"""Issue 9, item 5: `db push --force-reset` refuses a production schema.

The mark is written by a push with ENVIRONMENT=production (or --mark-production), or by an
operator by hand; `--i-know-this-is-production` overrides it, loudly, and the mark survives
the reset.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.target import Target
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, catalog_fingerprint, fake_client, run_push, seed_books
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    orm_cli,
)

PUSH = ["db", "push", "--from-client", "fakeclient", "--sql-dir", "/nonexistent"]
MARK_SQL = "SELECT value FROM _orm_push_state WHERE key = 'environment'"
MARK_BY_HAND = (
    "INSERT INTO _orm_push_state (key, value) VALUES ('environment', 'production')"
    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
)


@pytest.fixture
def client(datamodel_of: DatamodelOf, tmp_path: Path) -> Path:
    return fake_client(tmp_path, datamodel_of(books()))


async def test_force_reset_refuses_a_schema_pushed_with_environment_production(
    conn: Connection, schema_url: str, pg_schema: str, client: Path
) -> None:
    deployed = orm_cli(PUSH, url=schema_url, client=client, ENVIRONMENT="production")
    assert deployed.returncode == 0, deployed.stderr
    await seed_books(conn)
    before = await catalog_fingerprint(conn, pg_schema)

    refused = orm_cli([*PUSH, "--force-reset"], url=schema_url, client=client)

    assert refused.returncode == 1
    assert "is production (its _orm_push_state marks it as production)" in refused.stderr
    assert "authors (1 rows), books (2 rows), notes (1 rows): 4 rows in all" in refused.stderr
    assert "--i-know-this-is-production" in refused.stderr
    assert await catalog_fingerprint(conn, pg_schema) == before
    assert await conn.fetchval("SELECT count(*) FROM books") == 2


async def test_the_override_resets_loudly_and_keeps_the_mark(
    datamodel_of: DatamodelOf, target: Target, conn: Connection
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    await conn.execute(MARK_BY_HAND)  # as the README tells an operator

    _, output = await run_push(
        datamodel_of(books()), target, force_reset=True, allow_production=True
    )

    assert "WARNING: --i-know-this-is-production given: --force-reset of production data" in output
    assert await conn.fetchval("SELECT count(*) FROM books") == 0
    assert await conn.fetchval(MARK_SQL) == "production"


async def test_mark_production_flag_and_a_dry_run_that_says_it_would_refuse(
    conn: Connection, schema_url: str, target: Target, client: Path
) -> None:
    marked = orm_cli([*PUSH, "--mark-production"], url=schema_url, client=client)
    dry = orm_cli([*PUSH, "--force-reset", "--dry-run"], url=schema_url, client=client)

    assert marked.returncode == 0, marked.stderr
    assert "as production (table _orm_push_state)" in marked.stdout
    assert await conn.fetchval(MARK_SQL) == "production"
    assert dry.returncode == 0, dry.stderr
    assert "--force-reset is refused without --i-know-this-is-production" in dry.stdout
