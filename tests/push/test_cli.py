"""The command line: push from a generated client without Node, exit codes, refresh-views."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orm.push.db import Connection
from orm.push.target import Target, connect
from tests.push.conftest import ROOT, DatamodelOf
from tests.push.helpers import books, catalog_fingerprint, columns, fake_client, seed_books


def _orm(
    args: list[str], *, url: str, cwd: Path, pythonpath: list[Path], **more: str
) -> subprocess.CompletedProcess[str]:
    """`python -m orm ...` with only the venv on PATH: no Node, so no Prisma CLI."""
    env = {
        "PATH": str(Path(sys.executable).parent),
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join(str(p) for p in [*pythonpath, ROOT]),
        "HOME": os.environ.get("HOME", "/tmp"),
        **more,
    }
    return subprocess.run(
        [sys.executable, "-m", "orm", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _pushed_books(datamodel_of: DatamodelOf, url: str, folder: Path) -> list[str]:
    """Pushes `books()` through the CLI from a fake client; returns the push arguments."""
    base = fake_client(folder / "base", datamodel_of(books()))
    args = ["db", "push", "--from-client", "fakeclient"]
    assert _orm(args, url=url, cwd=folder, pythonpath=[base]).returncode == 0
    return args


async def test_push_from_an_embedded_datamodel_needs_no_node(
    datamodel_of: DatamodelOf, schema_url: str, tmp_path: Path, conn: Connection, pg_schema: str
) -> None:
    datamodel = datamodel_of((ROOT / "tests" / "orm" / "schema.prisma").read_text(), full=True)
    folder = fake_client(tmp_path, datamodel)
    args = [
        "db",
        "push",
        "--from-client",
        "fakeclient",
        "--schema",
        str(tmp_path / "missing.prisma"),
    ]

    first = _orm(args, url=schema_url, cwd=tmp_path, pythonpath=[folder])
    second = _orm(args, url=schema_url, cwd=tmp_path, pythonpath=[folder])

    assert first.returncode == 0, first.stderr
    assert (
        "Applied 37 changes (+1 enum, +10 tables, +6 unique indexes, +8 indexes, "
        "+12 foreign keys; 37 statements)" in first.stdout
    )
    assert second.returncode == 0, second.stderr
    assert "already in sync with fakeclient._schema" in second.stdout
    assert await conn.fetchval("SELECT to_regclass('\"_CategoryToPost\"') IS NOT NULL")
    assert pg_schema in first.stdout


async def test_refused_push_exits_non_zero_and_explains(
    datamodel_of: DatamodelOf, schema_url: str, tmp_path: Path, conn: Connection, pg_schema: str
) -> None:
    args = _pushed_books(datamodel_of, schema_url, tmp_path)
    await seed_books(conn)
    before = await catalog_fingerprint(conn, pg_schema)
    edited = fake_client(tmp_path / "edited", datamodel_of(books("  body String?\n", "")))

    refused = _orm(args, url=schema_url, cwd=tmp_path, pythonpath=[edited])

    assert refused.returncode == 1
    assert "drop column notes.body: 1 non-null values would be lost" in refused.stderr
    assert await catalog_fingerprint(conn, pg_schema) == before
    accepted = _orm(
        [*args, "--accept-data-loss"], url=schema_url, cwd=tmp_path, pythonpath=[edited]
    )
    assert accepted.returncode == 0, accepted.stderr


def test_missing_database_url_is_explained(tmp_path: Path) -> None:
    """The repository's client names no datasource URL, so push reads DATABASE_URL."""
    done = _orm(["db", "push", "--from-client", "prisma"], url="", cwd=tmp_path, pythonpath=[])

    assert done.returncode == 1
    assert "DATABASE_URL is not set" in done.stderr


@pytest.mark.skipif(not (ROOT / "prisma" / "_schema.py").exists(), reason="no generated client")
async def test_domain_push_from_generated_client_with_sql_files(
    schema_url: str, conn: Connection, pg_schema: str
) -> None:
    args = ["db", "push", "--from-client", "prisma", "--sql-dir", str(ROOT / "sql")]

    first = _orm(args, url=schema_url, cwd=ROOT, pythonpath=[])
    before = await catalog_fingerprint(conn, pg_schema)
    second = _orm(args, url=schema_url, cwd=ROOT, pythonpath=[])

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "already in sync" in second.stdout
    assert await catalog_fingerprint(conn, pg_schema) == before
    views = _orm(["db", "refresh-views", "--concurrently"], url=schema_url, cwd=ROOT, pythonpath=[])
    assert views.returncode == 0, views.stderr


async def test_a_stale_generated_client_is_pointed_out(
    datamodel_of: DatamodelOf, schema_url: str, tmp_path: Path
) -> None:
    folder = fake_client(tmp_path, datamodel_of(books()))
    (folder / "fakeclient" / "_schema.py").write_text(
        (folder / "fakeclient" / "_schema.py").read_text() + 'SCHEMA_SHA256 = "0" * 64\n'
    )
    (tmp_path / "schema.prisma").write_text("// edited since generation\n")

    done = _orm(
        ["db", "push", "--from-client", "fakeclient"],
        url=schema_url,
        cwd=tmp_path,
        pythonpath=[folder],
    )

    assert done.returncode == 0, done.stderr
    assert "fakeclient was generated from a different schema.prisma" in done.stderr


async def test_lock_waits_are_bounded_by_flags_or_environment(
    datamodel_of: DatamodelOf, schema_url: str, tmp_path: Path, conn: Connection, target: Target
) -> None:
    args = _pushed_books(datamodel_of, schema_url, tmp_path)
    edited = fake_client(tmp_path / "edited", datamodel_of(books("  body String?\n", "")))
    blocker = await connect(target)
    try:
        await blocker.execute("BEGIN; SELECT * FROM notes")  # holds ACCESS SHARE on notes
        by_env = _orm(
            args,
            url=schema_url,
            cwd=tmp_path,
            pythonpath=[edited],
            DB_PUSH_LOCK_TIMEOUT="0.05",
            DB_PUSH_LOCK_RETRIES="0",
        )
        by_flag = _orm(
            [*args, "--lock-timeout", "0.05", "--lock-retries", "0"],
            url=schema_url,
            cwd=tmp_path,
            pythonpath=[edited],
        )
    finally:
        await blocker.close()

    for done in (by_env, by_flag):
        assert done.returncode == 1
        assert "lock on table notes in 1 attempt of 0.05s each" in done.stderr
    assert "body" in await columns(conn, target.schema, "notes")


def test_a_lock_timeout_that_is_not_a_number_is_explained(tmp_path: Path) -> None:
    done = _orm(
        ["db", "push"], url="postgresql://x@127.0.0.1/x", cwd=tmp_path, pythonpath=[],
        DB_PUSH_LOCK_TIMEOUT="soon",
    )  # fmt: skip

    assert done.returncode == 1
    assert "DB_PUSH_LOCK_TIMEOUT must be a number, not 'soon'" in done.stderr
