"""`seed_database`: the whole run, in one transaction (all the data or none of it)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime

from seed import ai_models, ai_tests, dreams, files, messages, progress, projects, usage, users
from seed.config import Counts, SeedOptions, default_anchor, resolve_counts
from seed.context import SeedContext
from seed.db import (
    drop_secondary,
    ensure_empty,
    ensure_tables,
    finish,
    restore_secondary,
    truncate,
    vacuum_analyze,
)
from seed.guard import guard_production
from seed.load import copy_rows
from seed.pg import Connection, connect, split_url
from seed.report import SeedReport, TableReport

__all__ = ["seed_database"]

Rows = Iterator[tuple[object, ...]]
# table, its columns, the expected row count, and a function producing the rows
Step = tuple[str, Sequence[str], int, Callable[[], Rows]]


def _steps(ctx: SeedContext, counts: Counts) -> Iterator[Step]:
    """The tables in load order. Each step's rows may read what earlier steps recorded in `ctx`,
    so steps are produced lazily, one after the other."""
    yield "users", users.COLUMNS, counts.users, lambda: users.rows(ctx, counts.users)
    yield "ai_models", ai_models.COLUMNS, len(ai_models.MODELS), lambda: ai_models.rows(ctx)
    yield "dreams", dreams.COLUMNS, counts.dreams, lambda: dreams.rows(ctx, counts.dreams)
    tracker = progress.ProgressTracker(ctx)
    yield (
        "ai_tests", ai_tests.COLUMNS, counts.ai_tests,
        lambda: ai_tests.rows(ctx, counts.ai_tests, tracker),
    )  # fmt: skip
    yield "progress_logs", progress.COLUMNS, len(tracker.rows), lambda: iter(tracker.rows)
    yield "projects", projects.COLUMNS, counts.projects, lambda: projects.rows(ctx, counts.projects)
    n = counts.project_collaborators
    yield (
        "project_collaborators", projects.COLLABORATOR_COLUMNS, n,
        lambda: projects.collaborator_rows(ctx, n),
    )  # fmt: skip
    n_files = counts.project_files
    yield "project_files", files.COLUMNS, n_files, lambda: files.rows(ctx, n_files)
    yield "messages", messages.COLUMNS, counts.messages, lambda: messages.rows(ctx, counts.messages)
    n_usage = counts.token_usage
    yield "token_usage", usage.COLUMNS, n_usage, lambda: usage.rows(ctx, n_usage)
    n_api = counts.api_response_times
    yield "api_response_times", usage.API_COLUMNS, n_api, lambda: usage.api_rows(ctx, n_api)


async def _load(conn: Connection, ctx: SeedContext, options: SeedOptions) -> list[TableReport]:
    reports: list[TableReport] = []
    for table, columns, total, make_rows in _steps(ctx, options.counts):
        report = await copy_rows(
            conn, table, columns, make_rows(), total=total, progress=options.progress
        )
        reports.append(report)
    return reports


async def run(url: str, scale: str, options: SeedOptions) -> SeedReport:
    started = time.perf_counter()
    anchor = options.anchor or default_anchor()
    ctx = SeedContext(seed=options.seed, anchor=anchor)
    schema = split_url(url)[1]
    conn = await connect(url)
    try:
        await ensure_tables(conn, schema)
        await guard_production(
            conn,
            url,
            schema,
            environment=options.environment,
            reset=options.reset,
            allow=options.allow_production,
        )
        async with conn.transaction():
            if options.reset:
                await truncate(conn)
            else:
                await ensure_empty(conn, schema)
            dropped = await drop_secondary(conn) if options.drop_indexes else None
            load_started = time.perf_counter()
            tables = await _load(conn, ctx, options)
            index_started = time.perf_counter()
            if dropped is not None:
                await restore_secondary(conn, dropped)
            finish_started = time.perf_counter()
            await finish(conn)
        await vacuum_analyze(conn)
    finally:
        await conn.close()
    done = time.perf_counter()
    return SeedReport(
        scale=scale,
        seed=options.seed,
        anchor=anchor,
        tables=tuple(tables),
        load_seconds=index_started - load_started,
        index_seconds=finish_started - index_started,
        finish_seconds=done - finish_started,
        total_seconds=done - started,
    )


async def seed_database(
    url: str,
    *,
    scale: str = "small",
    reset: bool = False,
    counts: Mapping[str, int] | None = None,
    seed: int = 42,
    anchor: datetime | None = None,
    drop_indexes: bool = True,
    progress: bool = False,
    allow_production: bool = False,
) -> SeedReport:
    """Fill the empty database at `url` (its `?schema=`, default `public`) with `scale`'s data.

    Raises `SeedError` when the tables are missing (run `db push` first) or already hold data
    (unless `reset`, which truncates them). `counts` overrides single tables' row counts; the
    same `seed` and `anchor` (end of the seeded history, default the start of this hour) give
    the same rows. The API calls this at startup to seed an empty embedded database.

    Raises `ProductionDatabaseError` when the schema is production (marked so by `db push`, or
    `ENVIRONMENT=production` in this process's environment) unless `allow_production`.
    """
    options = SeedOptions(
        counts=resolve_counts(scale, dict(counts or {})),
        seed=seed,
        anchor=anchor,
        reset=reset,
        drop_indexes=drop_indexes,
        progress=progress,
        environment=os.environ.get("ENVIRONMENT"),
        allow_production=allow_production,
    )
    return await run(url, scale, options)
