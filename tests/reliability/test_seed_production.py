"""Issue 9, item 5: `python -m seed` refuses a production schema.

Production is what `db push` wrote into the schema (pushed with ENVIRONMENT=production) or
ENVIRONMENT=production where the seed runs. `--reset` there would wipe the data, and a seed
without it would add demo accounts with published passwords and tokens; only the loud
`--i-know-this-is-production` flag lets either happen, and then the seed says what it destroys.
"""

from __future__ import annotations

import asyncio

import pytest

from orm.push.cli import load_datamodel
from orm.push.runner import PushOptions, push
from orm.push.target import connect, parse_target
from seed import seed_database
from seed.__main__ import main as seed_main
from tests import ROOT
from tests.reliability.push_fixtures import orm_cli

SEED = ["--scale", "tiny", "--quiet"]


DOMAIN = load_datamodel(ROOT / "schema.prisma", "prisma")


async def _push_domain(url: str, options: PushOptions) -> None:
    await push(DOMAIN, parse_target(url), options, out=lambda _: None)


@pytest.fixture
async def seeded(schema_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The domain schema, pushed and seeded at the tiny scale, outside production."""
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    await _push_domain(schema_url, PushOptions())
    await seed_database(schema_url, scale="tiny")
    return schema_url


async def _seed(args: list[str]) -> int:
    """`python -m seed <args>` (its own event loop, so in a thread)."""
    return await asyncio.to_thread(seed_main, args)


async def _sql(url: str, sql: str) -> object:
    conn = await connect(parse_target(url))
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def _users(url: str) -> int:
    return int(str(await _sql(url, "SELECT count(*) FROM users")))


async def test_reset_refuses_a_schema_db_push_marked_as_production(
    seeded: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As an operator deploys: the schema is in sync, so this push only marks it.
    done = orm_cli(["db", "push", "--from-client", "prisma"], url=seeded, ENVIRONMENT="production")
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("DATABASE_URL", seeded)

    assert await _seed([*SEED, "--reset"]) == 1

    assert "as production (table _orm_push_state)" in done.stdout
    err = capsys.readouterr().err
    assert "Refusing to seed schema" in err
    assert "it is production (its _orm_push_state marks it as production)" in err
    assert "--reset would delete every row of users (40 rows), ai_models" in err
    assert "Nothing was changed" in err
    assert "--i-know-this-is-production" in err
    assert await _users(seeded) == 40


async def test_environment_production_alone_refuses_reset_and_a_first_seed(
    seeded: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATABASE_URL", seeded)

    assert await _seed([*SEED, "--reset"]) == 1
    assert "it is production (ENVIRONMENT=production)" in capsys.readouterr().err
    await _sql(seeded, "TRUNCATE users CASCADE")
    assert await _seed(SEED) == 1
    assert "demo accounts whose passwords and bearer tokens are published" in (
        capsys.readouterr().err
    )
    assert await _users(seeded) == 0


async def test_the_override_flag_reseeds_and_says_what_it_destroys(
    seeded: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await _push_domain(seeded, PushOptions(environment="production"))
    monkeypatch.setenv("DATABASE_URL", seeded)

    assert await _seed([*SEED, "--reset", "--i-know-this-is-production"]) == 0

    err = capsys.readouterr().err
    assert "WARNING: --i-know-this-is-production given: seeding production schema" in err
    assert "--reset would delete every row of users (40 rows)" in err
    assert await _users(seeded) == 40
