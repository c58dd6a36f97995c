"""The datasource block's `url = env("NAME")` / `directUrl` names, honoured end to end: the
generated client (async and sync) reads NAME, `prisma db push` reads the `directUrl` variable.

Every other URL variable points at a port nothing listens on, so a name that is ignored fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orm.cli import main
from tests.orm.cli.test_prisma_command import _tables  # pyright: ignore[reportPrivateUsage]

NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"

SCHEMA = """
datasource db {
  provider  = "postgresql"
  url       = env("DSENV_APP_DB")
  directUrl = env("DSENV_APP_DB_DIRECT")
}

generator client {
  provider  = "prisma-client-py"
  output    = "./client_pkg"
  interface = "%s"
}

model Note {
  id   Int    @id @default(autoincrement())
  text String
}
"""

ASYNC_USE = """
import asyncio
from client_pkg import Prisma

async def run() -> None:
    async with Prisma() as db:
        await db.note.create(data={"text": "hi"})
        print(await db.note.count())

asyncio.run(run())
"""

SYNC_USE = """
from client_pkg import Prisma

with Prisma() as db:
    db.note.create(data={"text": "hi"})
    print(db.note.count())
"""


def _env(**names: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": NOWHERE, "DIRECT_URL": NOWHERE}
    env.pop("DSENV_APP_DB", None)
    env.pop("DSENV_APP_DB_DIRECT", None)
    return {**env, **names}


def _run(args: list[str], folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, check=False)


async def _push(folder: Path, schema_url: str) -> None:
    """Push reads `directUrl`'s variable: `url`'s and the old names go nowhere."""
    env = _env(DSENV_APP_DB_DIRECT=schema_url, DSENV_APP_DB=NOWHERE)
    prisma = str(Path(sys.executable).parent / "prisma")
    proc = await asyncio.to_thread(_run, [prisma, "db", "push"], folder, env)
    assert proc.returncode == 0, proc.stderr
    assert "Note" in await _tables(schema_url)


@pytest.mark.parametrize(("interface", "use"), [("asyncio", ASYNC_USE), ("sync", SYNC_USE)])
async def test_the_client_and_push_use_the_names_in_the_schema(
    tmp_path: Path, schema_url: str, interface: str, use: str
) -> None:
    (tmp_path / "schema.prisma").write_text(SCHEMA % interface)
    await _push(tmp_path, schema_url)  # also generates the client
    generated = (tmp_path / "client_pkg" / "_schema.py").read_text()
    assert 'url=UrlSource(env="DSENV_APP_DB")' in generated
    assert 'direct_url=UrlSource(env="DSENV_APP_DB_DIRECT")' in generated

    ran = await asyncio.to_thread(
        _run, [sys.executable, "-c", use], tmp_path, _env(DSENV_APP_DB=schema_url)
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "1"

    unset = await asyncio.to_thread(_run, [sys.executable, "-c", use], tmp_path, _env())
    assert unset.returncode != 0
    assert 'url = env("DSENV_APP_DB"), and DSENV_APP_DB is not set' in unset.stderr


def test_generate_is_deterministic_and_a_schema_naming_none_renders_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    schema = tmp_path / "schema.prisma"
    schema.write_text(SCHEMA % "asyncio")
    assert main(["generate"]) == 0
    first = (tmp_path / "client_pkg" / "_schema.py").read_text()
    assert main(["generate"]) == 0
    assert (tmp_path / "client_pkg" / "_schema.py").read_text() == first
    # the header hashes the user's file, not the copy Prisma read (whose text names tmp_path)
    assert hashlib.sha256(schema.read_bytes()).hexdigest() in first.splitlines()[0]

    monkeypatch.setenv("ORM_DATASOURCE", '{"url": {"env": "STALE"}}')  # ours is always set
    schema.write_text(SCHEMA.replace('  url       = env("DSENV_APP_DB")\n', "") % "asyncio")
    schema.write_text(schema.read_text().replace('  directUrl = env("DSENV_APP_DB_DIRECT")\n', ""))
    assert main(["generate"]) == 0
    assert "DATASOURCE" not in (tmp_path / "client_pkg" / "_schema.py").read_text()


async def test_push_from_the_generated_client_reads_the_names_it_was_generated_with(
    tmp_path: Path, schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m orm db push --from-client` needs no Node."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.prisma").write_text(SCHEMA % "asyncio")
    assert main(["generate"]) == 0
    env = {**_env(DSENV_APP_DB_DIRECT=schema_url), "PYTHONPATH": str(tmp_path)}
    args = [sys.executable, "-m", "orm", "db", "push", "--from-client", "client_pkg"]
    proc = await asyncio.to_thread(_run, args, tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr  # generated from this very schema.prisma
    assert "Note" in await _tables(schema_url)


async def test_a_literal_url_is_used_as_written_by_push_and_the_sync_client(
    tmp_path: Path, schema_url: str
) -> None:
    schema = SCHEMA % "sync"
    schema = schema.replace('env("DSENV_APP_DB")', f'"{schema_url}"')
    schema = schema.replace('  directUrl = env("DSENV_APP_DB_DIRECT")\n', "")
    (tmp_path / "schema.prisma").write_text(schema)
    prisma = str(Path(sys.executable).parent / "prisma")
    pushed = await asyncio.to_thread(_run, [prisma, "db", "push"], tmp_path, _env())
    assert pushed.returncode == 0, pushed.stderr
    ran = await asyncio.to_thread(_run, [sys.executable, "-c", SYNC_USE], tmp_path, _env())
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "1"
