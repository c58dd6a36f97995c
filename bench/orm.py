"""ORM overhead: each operation through the generated client vs the same SQL on bare asyncpg.

    .venv/bin/python bench/orm.py [--iterations 2000] [--users 200] [--posts-per-user 25]
                                  [--no-strategies | --strategies-only]

Seeds a throwaway PostgreSQL schema with the ORM test schema (tests/orm/schema.prisma), then
times, one awaited call after another on a 2-connection pool:

- find_unique: a user by id;
- find_many: 20 users ordered by createdAt desc, each with its posts (a to-many include);
- create: a comment (autoincrement id, so the bare-SQL side can repeat the same statement).

The two sides run in alternating blocks of calls (`bench.timing.interleaved_us`), so load that
comes and goes during the run weighs on both alike. Each operation prints wall-time medians and
p99s, then CPU time per call (this process's: the ORM's Python work plus asyncpg's, not the
server's), which a shared machine's load skews least, and the part of it CPython's cyclic garbage
collector took: a model instance and its field dict are two container objects per row where the
bare side keeps one (its dict), so a 520-row include crosses the collector's threshold (700 live
allocations) on most calls where the bare side stays under it, and the rows alive at that moment
are promoted, bringing on the full collections too.
The bare side runs exactly the statements the ORM sent (SQL text and parameters captured from
the ORM's compiler on a sample call) on one asyncpg connection, held throughout, with the same
codecs and settings: the least any client could do. The ratio is the ORM's Python cost:
building statements, compiling (cached), pool checkout, hydrating models, observing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# This file is bench/orm.py: its folder (on sys.path when run as a script) must not shadow the
# `orm` package, so packages/orm comes first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packages" / "orm"))

from sqlalchemy import MetaData, create_mock_engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.ddl import ExecutableDDLElement

from bench.orm_strategies import compare_strategies
from bench.timing import interleaved_us
from orm.runtime.engine.compile import CompiledStatement, StatementCompiler
from orm.runtime.engine.pool import (
    Connection,
    Pool,
    _create_pool,  # pyright: ignore[reportPrivateUsage]
    _init_connection,  # pyright: ignore[reportPrivateUsage]
    _keep_session,  # pyright: ignore[reportPrivateUsage]
)
from orm.runtime.url import parse_url
from tests.orm.generated.client import SCHEMA, Prisma

BASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")

Call = Callable[[], Awaitable[object]]


def _ddl(metadata: MetaData) -> list[str]:
    dialect = postgresql.dialect()
    statements: list[str] = []

    def collect(sql: ExecutableDDLElement, *_: object, **__: object) -> None:
        statements.append(str(sql.compile(dialect=dialect)))

    engine = create_mock_engine("postgresql://", collect)  # pyright: ignore[reportArgumentType]
    metadata.create_all(engine, checkfirst=False)  # pyright: ignore[reportArgumentType]
    return statements


async def _seed(db: Prisma, users: int, posts_per_user: int) -> tuple[str, str]:
    await db.account.create_many(
        data=[{"email": f"user{i}@bench.test", "name": f"User {i}"} for i in range(users)]
    )
    ids = [u.id for u in await db.account.find_many()]
    for start in range(0, len(ids), 20):
        await db.post.create_many(
            data=[
                {"title": f"Post {n} by {uid}", "authorId": uid, "views": n}
                for uid in ids[start : start + 20]
                for n in range(posts_per_user)
            ]
        )
    post = await db.post.find_first()
    assert post is not None
    return ids[len(ids) // 2], post.id


class Capture:
    """Wraps the engine's compiler to record what one ORM call sends."""

    def __init__(self, compiler: StatementCompiler) -> None:
        self.compiler = compiler
        self.original = compiler.compile
        self.statements: list[CompiledStatement] = []

    async def record(self, call: Call) -> list[CompiledStatement]:
        def compile_and_keep(stmt: object) -> CompiledStatement:
            compiled = self.original(stmt)  # pyright: ignore[reportArgumentType]
            self.statements.append(compiled)
            return compiled

        self.statements = []
        self.compiler.compile = compile_and_keep  # pyright: ignore[reportAttributeAccessIssue]
        try:
            await call()
        finally:
            self.compiler.compile = self.original  # pyright: ignore[reportAttributeAccessIssue]
        return self.statements


def _bare(conn: Connection, statements: Sequence[CompiledStatement]) -> Call:
    """The statements on one connection held throughout: no pool, no compiling, no models."""

    async def run() -> object:
        result: object = None
        for statement in statements:
            records = await conn.fetch(statement.sql, *statement.params)
            result = [dict(r.items()) for r in records]
        return result

    return run


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


async def _compare(name: str, orm: Call, bare: Call, iterations: int) -> None:
    measured = await interleaved_us(orm, bare, iterations)
    orm_samples, bare_samples = measured.wall
    orm_median, bare_median = statistics.median(orm_samples), statistics.median(bare_samples)
    print(
        f"{name:<12} orm median {orm_median:8.0f} µs  p99 {_p99(orm_samples):8.0f} µs | "
        f"asyncpg median {bare_median:8.0f} µs  p99 {_p99(bare_samples):8.0f} µs | "
        f"ratio median {orm_median / bare_median:5.2f}x  p99 "
        f"{_p99(orm_samples) / _p99(bare_samples):5.2f}x"
    )
    orm_cpu, bare_cpu = measured.cpu_us(0), measured.cpu_us(1)
    print(
        f"{'':<12} CPU per call: orm {orm_cpu:6.0f} µs | asyncpg {bare_cpu:6.0f} µs | "
        f"ratio {orm_cpu / bare_cpu:5.2f}x | of which GC: orm {measured.gc_us(0):5.0f} µs "
        f"({measured.collections[0] / measured.calls[0]:.2f} collections), asyncpg "
        f"{measured.gc_us(1):5.0f} µs"
    )


async def main(
    iterations: int,
    users: int,
    posts_per_user: int,
    *,
    strategies_only: bool = False,
    strategies: bool = True,
) -> None:
    schema = f"bench_orm_{os.getpid()}"
    admin = cast(Connection, await _create_pool(BASE_URL, min_size=1, max_size=1))
    pool_admin = cast(Pool, admin)
    conn = await pool_admin.acquire()
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    for statement in _ddl(SCHEMA.sqlalchemy_metadata(schema)):
        await conn.execute(statement)
    url = f"{BASE_URL}?schema={schema}"
    db = Prisma(datasource={"url": url}, connection_limit=2)
    settings = parse_url(url)
    bare_pool = await _create_pool(
        settings.dsn,
        min_size=2,
        max_size=2,
        server_settings=settings.server_settings(),
        init=_init_connection,
        reset=_keep_session,
    )
    try:
        await db.connect()
        bare_conn = await bare_pool.acquire()
        user_id, post_id = await _seed(db, users, posts_per_user)
        print(f"seeded {users} users x {posts_per_user} posts; {iterations} timed calls each")
        engine = db._shared.engine  # pyright: ignore[reportPrivateUsage]
        assert engine is not None
        capture = Capture(engine.compiler)

        async def find_unique() -> object:
            return await db.account.find_unique(where={"id": user_id})

        async def find_many() -> object:
            return await db.account.find_many(
                take=20, order={"createdAt": "desc"}, include={"posts": True}
            )

        async def create() -> object:
            return await db.comment.create(data={"content": "benchmark", "postId": post_id})

        overhead = (("find_unique", find_unique), ("find_many", find_many), ("create", create))
        for name, call in () if strategies_only else overhead:
            statements = await capture.record(call)
            await _compare(name, call, _bare(bare_conn, statements), iterations)
        compiler = engine.compiler
        print(f"compiled-statement cache: {compiler.hits} hits, {compiler.misses} misses")
        if strategies:
            await compare_strategies(db, iterations)
    finally:
        await db.disconnect()
        bare_pool.terminate()
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await pool_admin.release(conn)
        await pool_admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--posts-per-user", type=int, default=25)
    parser.add_argument(
        "--strategies-only", action="store_true", help="only the query-vs-join nested reads"
    )
    parser.add_argument(
        "--no-strategies", action="store_true", help="only the overhead figures (a minute)"
    )
    args = parser.parse_args()
    asyncio.run(
        main(
            args.iterations,
            args.users,
            args.posts_per_user,
            strategies_only=args.strategies_only,
            strategies=not args.no_strategies,
        )
    )
