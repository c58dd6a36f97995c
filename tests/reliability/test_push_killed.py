"""Issue 9, item 3: a push killed (SIGKILL) at any step leaves a schema the next push
converges from: afterwards no foreign key, constraint or index is missing, none is INVALID,
and the catalog is the one a clean push makes.

The push runs in a subprocess (`push_driver`) that stops at a named checkpoint, where the test
kills it. One more case kills it while CREATE INDEX CONCURRENTLY waits for a transaction the
test holds open, which leaves an INVALID index behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.target import Target
from tests import ROOT
from tests.push.fixtures import DatamodelOf
from tests.push.helpers import books, run_push, seed_books
from tests.reliability.push_fixtures import *  # noqa: F403 (the fixtures)
from tests.reliability.push_fixtures import (
    Datamodel,
    catalog,
    clean_catalog,
    push_pid,
    wait_until,
    waiting_pids,
)

REVIEWS = """
model Review {
  id         Int    @id @default(autoincrement())
  authorName String @map("author_name")
  author     Author @relation(fields: [authorName], references: [name])

  @@map("reviews")
}
"""
EDITS = [
    ("  DRAFT\n  LIVE\n", "  DRAFT\n  LIVE\n  ARCHIVED\n"),  # an enum label
    (
        "  name  String\n  books Book[]\n",
        "  name  String @unique\n  books Book[]\n  reviews Review[]\n",
    ),
    ("@@index([authorId, createdAt])", "@@index([authorId, createdAt(sort: Desc)])"),  # swapped
    ("  body String?\n", ""),  # a column with a value (the driver accepts data loss)
]
SQL_FILE = "CREATE INDEX IF NOT EXISTS idx_books_title_lower ON books (lower(title));\n"
KILL_POINTS = [
    "planned",
    "enum_values",
    "index_built:authors_name_key",
    "index_built:books_author_id_created_at_idx_push_tmp",
    "main_locked",
    "main_applied",
    "main_committed",
    "sql_file:010_lower_title.sql",
]


def _after() -> str:
    text = books()
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new)
    return text + REVIEWS


@pytest.fixture(scope="module")
def sql_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("killed") / "sql"
    folder.mkdir()
    (folder / "010_lower_title.sql").write_text(SQL_FILE)
    return folder


@pytest.fixture(scope="module")
async def expected(datamodel_of: DatamodelOf, sql_dir: Path) -> list[str]:
    """The catalog a clean push of the edited schema makes: every test must end there."""
    return await clean_catalog(datamodel_of(_after()), sql_dir=sql_dir)


def _start(
    datamodel: Datamodel, url: str, pause_at: str, *, folder: Path, lock_timeout: float = 2
) -> subprocess.Popen[str]:
    model = folder / "after.json"
    model.write_text(json.dumps(datamodel))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "DB_PUSH_LOCK_TIMEOUT": str(lock_timeout),
    }
    command = [sys.executable, "-m", "tests.reliability.push_driver", str(model), pause_at]
    return subprocess.Popen(
        [*command, str(folder / "sql")], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


async def _read_until(process: subprocess.Popen[str], marker: str) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    while not any(line.startswith(marker) for line in lines):
        line = await asyncio.to_thread(process.stdout.readline)
        assert line, f"the push ended before {marker!r}:\n{''.join(lines)}"
        lines.append(line)
    return lines


async def _kill(process: subprocess.Popen[str], conn: Connection, pid: int) -> None:
    """SIGKILL the push, then wait for its server session to end (PostgreSQL notices the lost
    client: at once when idle, within client_connection_check_interval while it works)."""
    process.send_signal(signal.SIGKILL)
    await asyncio.to_thread(process.wait)
    assert process.stdout is not None
    process.stdout.close()

    async def session_gone() -> bool:
        return not await conn.fetchval("SELECT 1 FROM pg_stat_activity WHERE pid = $1", pid)

    await wait_until(session_gone, f"the killed push's session {pid} ends")


async def _converges(
    datamodel: Datamodel, target: Target, conn: Connection, *, schema: str, sql_dir: Path
) -> list[str]:
    await run_push(datamodel, target, accept_data_loss=True, sql_dir=sql_dir)
    found = await catalog(conn, schema)
    assert not [e for e in found if "INVALID" in e or "_push_tmp" in e], found
    assert await conn.fetchval("SELECT count(*) FROM books") == 2
    return found


@pytest.mark.parametrize("point", KILL_POINTS)
async def test_a_push_killed_at_any_step_converges_on_rerun(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    schema_url: str,
    pg_schema: str,
    sql_dir: Path,
    expected: list[str],
    point: str,
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    after = datamodel_of(_after())
    process = _start(after, schema_url, point, folder=sql_dir.parent)

    lines = await _read_until(process, "PAUSED")
    pid = await push_pid(conn, target)
    assert pid is not None, "".join(lines)
    await _kill(process, conn, pid)

    assert await _converges(after, target, conn, schema=pg_schema, sql_dir=sql_dir) == expected


async def test_a_push_killed_while_building_an_index_converges_on_rerun(
    datamodel_of: DatamodelOf,
    target: Target,
    conn: Connection,
    racer: Connection,
    schema_url: str,
    pg_schema: str,
    sql_dir: Path,
    expected: list[str],
) -> None:
    await run_push(datamodel_of(books()), target)
    await seed_books(conn)
    after = datamodel_of(_after())
    await racer.execute("BEGIN")
    await racer.execute("INSERT INTO authors (name) VALUES ('Octavia')")  # the build waits
    # A long lock timeout: the build must still be waiting when the test kills it.
    process = _start(after, schema_url, "never", folder=sql_dir.parent, lock_timeout=300)
    await _read_until(process, "CHECKPOINT index_building:authors_name_key")
    pid = await push_pid(conn, target)
    assert pid is not None

    async def build_waits() -> bool:
        return pid in await waiting_pids(conn)

    await wait_until(build_waits, "the index build waits for the open transaction")
    await _kill(process, conn, pid)
    await racer.execute("ROLLBACK")
    left = await catalog(conn, pg_schema)
    assert any(e.startswith("index authors_name_key") and "INVALID" in e for e in left), left

    assert await _converges(after, target, conn, schema=pg_schema, sql_dir=sql_dir) == expected
