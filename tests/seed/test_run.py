"""Seeding an empty schema: counts, determinism, refusing to overwrite, --reset."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from seed import DatabaseNotEmptyError, SchemaMissingError, SeedReport, seed_database
from seed.ai_models import MODELS
from seed.config import SCALES
from seed.db import SEEDED_TABLES
from seed.pg import Connection, connect
from tests.conftest import TEST_DATABASE_URL, with_query
from tests.seed.conftest import ANCHOR, MakeSchema, index_names

# Tables whose rows are compared between runs, each ordered by its id.
_COMPARED = ("users", "dreams", "ai_tests", "progress_logs", "projects", "messages", "token_usage")


async def checksums(url: str) -> dict[str, str]:
    conn = await connect(url)
    try:
        sums: dict[str, str] = {}
        for table in _COMPARED:
            query = f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t"
            sums[table] = str(await conn.fetchval(query))
        return sums
    finally:
        await conn.close()


async def row_counts(conn: Connection) -> dict[str, int]:
    return {
        table: int(str(await conn.fetchval(f"SELECT count(*) FROM {table}")))
        for table in SEEDED_TABLES
    }


async def test_counts_match_the_scale(db: Connection, seeded: tuple[str, SeedReport, set[str]]):
    report = seeded[1]
    expected = {**asdict(SCALES["tiny"]), "ai_models": len(MODELS)}
    counts = await row_counts(db)
    assert {t: counts[t] for t in expected} == expected
    assert counts["progress_logs"] > 0
    assert report.counts() == counts


async def test_every_declared_index_exists_after_seeding(
    db: Connection, seeded: tuple[str, SeedReport, set[str]]
):
    """The load drops secondary indexes and foreign keys; all must be back."""
    assert await index_names(db) == seeded[2]
    fks = await db.fetchval(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
        "AND connamespace = current_schema()::regnamespace"
    )
    assert fks == 17  # project_likes adds two, project_views and idempotency_keys one each
    assert {"idx_dreams_active", "idx_models_active", "idx_project_name_gin"} <= seeded[2]


async def test_same_seed_gives_the_same_rows(make_schema: MakeSchema):
    first, second, other = await make_schema(), await make_schema(), await make_schema()
    for url, seed in ((first, 7), (second, 7), (other, 8)):
        await seed_database(url, scale="tiny", seed=seed, anchor=ANCHOR)
    assert await checksums(first) == await checksums(second)
    differing = await checksums(other)
    assert all(differing[t] != s for t, s in (await checksums(first)).items())


async def test_refuses_to_seed_twice_and_reset_starts_over(make_schema: MakeSchema):
    url = await make_schema()
    await seed_database(url, scale="tiny", anchor=ANCHOR)
    before = await checksums(url)
    with pytest.raises(DatabaseNotEmptyError, match="--reset"):
        await seed_database(url, scale="tiny", anchor=ANCHOR)
    assert await checksums(url) == before
    report = await seed_database(url, scale="tiny", reset=True, anchor=ANCHOR)
    assert await checksums(url) == before
    assert report.counts()["users"] == SCALES["tiny"].users


async def test_counts_can_be_overridden(make_schema: MakeSchema):
    url = await make_schema()
    report = await seed_database(
        url,
        scale="tiny",
        anchor=ANCHOR,
        counts={"users": 12, "token_usage": 50},
        drop_indexes=False,
    )
    assert report.counts()["users"] == 12
    assert report.counts()["token_usage"] == 50


async def test_missing_tables_say_to_push_first(pg_schema: str):
    url = with_query(TEST_DATABASE_URL, schema=pg_schema)
    with pytest.raises(SchemaMissingError, match="db push"):
        await seed_database(url, scale="tiny")
