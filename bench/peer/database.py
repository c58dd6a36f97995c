"""The bench database: made and seeded at medium scale on first use; the users the bench reads as.

`prepare` creates the database named in the URL when it is missing, pushes the schema (a no-op
when it is current) and seeds it (`python -m seed --scale medium`, a few minutes) when it has
no users; a seeded one keeps its data. The bench reads as random users, so `sign_in` gives them
bearer tokens (`bench-<user id>`, stored hashed as the seed stores the demo accounts'): a write
to the bench database only, the same on every run.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import subprocess
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from bench.peer.queries import BenchUser
from prisma import Prisma
from seed.demo import DEMO_ACCOUNTS
from seed.pg import connect

__all__ = ["BenchUsers", "bench_token", "load_users", "prepare"]

SAMPLE_SEED = 7

# Users whose 20 latest dreams all have at least 5 AI tests: the nested read's full shape.
# Raw SQL: the ORM has no window functions or grouped HAVING over a relation's count yet.
FULL_SHAPE_SQL = """
SELECT user_id AS id FROM (
  SELECT d.user_id, row_number() OVER (PARTITION BY d.user_id ORDER BY d.created_at DESC) AS n,
         (SELECT count(*) FROM ai_tests t WHERE t.dream_id = d.id) AS tests
  FROM dreams d
) ranked WHERE n <= 20 GROUP BY user_id HAVING count(*) = 20 AND min(tests) >= 5
ORDER BY user_id
"""


def bench_token(user_id: str) -> str:
    return f"bench-{user_id}"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = await connect(urlunsplit(parts._replace(path="/postgres", query="")))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            print(f"creating database {name}", flush=True)
            await conn.execute(f'CREATE DATABASE "{name.replace(chr(34), "")}"')
    finally:
        await conn.close()


async def _has_users(url: str) -> bool:
    conn = await connect(url)
    try:
        if not await conn.fetchval("SELECT to_regclass('users') IS NOT NULL"):
            return False
        return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM users)"))
    finally:
        await conn.close()


def prepare(url: str) -> None:
    """Make `url` match the schema (`db push`: a bench database made by an older checkout lacks
    newer tables, such as the cache's), and seed it at medium scale unless it has users."""
    asyncio.run(_ensure_database(url))
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "orm", "db", "push"], check=True, env=env)
    if asyncio.run(_has_users(url)):
        return
    print("seeding at medium scale (a few minutes)", flush=True)
    subprocess.run([sys.executable, "-m", "seed", "--scale", "medium"], check=True, env=env)


class BenchUsers:
    """Who the bench reads as: `random` users, `full` (20 x 5 shape) users, the demo accounts."""

    def __init__(
        self, random: Sequence[BenchUser], full: Sequence[BenchUser], demo: Sequence[BenchUser]
    ) -> None:
        self.random, self.full, self.demo = tuple(random), tuple(full), tuple(demo)

    @property
    def pro(self) -> BenchUser:
        return self.demo[1]  # pro@dreams.test: the most dreams and tests


async def _sign_in(db: Prisma, ids: Sequence[str]) -> list[BenchUser]:
    async with db.batch_() as batch:
        for user_id in ids:
            token_hash = _token_hash(bench_token(user_id))
            batch.user.update_many(where={"id": user_id}, data={"apiTokenHash": token_hash})
    return [BenchUser(user_id, bench_token(user_id)) for user_id in ids]


async def load_users(url: str, *, count: int) -> BenchUsers:
    """`count` random users and up to `count` full-shape ones, signed in; the demo accounts."""
    quiet = 60_000.0  # ms: the sampling query takes seconds, which is no news
    async with Prisma(datasource={"url": url}, slow_query_ms=quiet, full_sql_ms=quiet) as db:
        everyone = [u.id for u in await db.user.find_many(order={"id": "asc"})]
        picked = random.Random(SAMPLE_SEED).sample(everyone, min(count, len(everyone)))
        full = [str(row["id"]) for row in await db.query_raw(FULL_SHAPE_SQL)]
        full = random.Random(SAMPLE_SEED).sample(full, min(count, len(full)))
        demo = await db.user.find_many(where={"email": {"in": [a.email for a in DEMO_ACCOUNTS]}})
        by_email = {u.email: u.id for u in demo}
        return BenchUsers(
            await _sign_in(db, picked),
            await _sign_in(db, full),
            [BenchUser(by_email[a.email], a.token) for a in DEMO_ACCOUNTS],
        )
