"""Importing a generated client loads neither SQLAlchemy nor asyncpg: the query compiler and the
engine load with the first `connect()` or query (`orm.runtime.modules`), and then work as ever.

Each check runs in a fresh interpreter, since this test process has long imported both."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.orm.query_support import create_schema_tables

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("sqlalchemy", "asyncpg")

LOADED = f"sorted({{m.partition('.')[0] for m in sys.modules}} & {set(HEAVY)!r})"
"""An expression: which of HEAVY (or any submodule of one) the interpreter has imported."""

QUERY = f"""
import asyncio, json, sys
from tests.orm.generated.client import Prisma

async def main(url: str) -> dict[str, object]:
    report: dict[str, object] = {{"import": {LOADED}}}
    db = Prisma(datasource={{"url": url}})
    report["client"] = {LOADED}
    await db.connect()
    await db.account.create(data={{"email": "ann@example.com", "name": "Ann"}})
    found = await db.account.find_many(where={{"name": {{"startswith": "A"}}}})
    report["found"] = [user.email for user in found]
    report["query"] = {LOADED}
    actions = sys.modules["orm.runtime.actions"]
    report["used"] = [type(getattr(actions, n)).__name__ for n in ("ops", "read_many", "FindArgs")]
    await db.disconnect()
    return report

print(json.dumps(asyncio.run(main(sys.argv[1]))))
"""


def _run(script: str, *args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


async def test_a_client_imports_without_sqlalchemy_and_queries_once_it_loads(
    pg_schema: str, schema_url: str
) -> None:
    await create_schema_tables(pg_schema)
    report = _run(QUERY, schema_url)
    assert report["import"] == []
    assert report["client"] == []  # building a client (settings, delegates) loads nothing
    assert report["found"] == ["ann@example.com"]
    assert report["query"] == sorted(HEAVY)
    # the stand-ins the queries used have put the real module, function and class in their place
    assert report["used"] == ["module", "function", "type"]


@pytest.mark.parametrize(
    "module",
    [
        "orm.runtime",
        "tests.orm.conformance.generated.client",
        "tests.orm.conformance.generated.sync_client",
    ],
)
def test_importing_loads_neither_sqlalchemy_nor_asyncpg(module: str) -> None:
    report = _run(f"import json, sys, {module}; print(json.dumps({{'import': {LOADED}}}))")
    assert report["import"] == []
