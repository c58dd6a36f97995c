"""Fixtures for `db push` tests: DMMF for small schemas (captured once), a target, a catalog.

`tests/push/conftest.py` and `tests/reliability/push_fixtures.py` import them from here.

Capturing DMMF runs the Prisma CLI (about a second a schema), so `datamodel_of` keeps each
schema's datamodel in `tests/push/dmmf/<sha256 of text and Prisma version>.json`. The files are
committed, so the suite needs no Node; a schema a test changes is captured on its next run
(with Node) and its new file committed with the test.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import pytest

from orm.push.db import Connection
from orm.push.dmmf import JsonValue
from orm.push.target import Target, connect, parse_target
from tests.push.helpers import HEADER

Datamodel = dict[str, JsonValue]


class DatamodelOf(Protocol):
    def __call__(self, models: str, *, full: bool = False) -> Datamodel: ...


ROOT = Path(__file__).resolve().parents[2]
CAPTURED = Path(__file__).resolve().parent / "dmmf"


def _prisma_version() -> str:
    """The pinned Prisma CLI version (package.json), so the key needs no node_modules."""
    package = json.loads((ROOT / "package.json").read_text())
    return str(package["devDependencies"]["prisma"])


@pytest.fixture(scope="session")
def datamodel_of(tmp_path_factory: pytest.TempPathFactory) -> DatamodelOf:
    """`datamodel_of(models)`: the DMMF datamodel of `models` after a PostgreSQL datasource.

    `datamodel_of(text, full=True)` takes a whole schema file's text instead.
    """
    version = _prisma_version()
    memo: dict[str, Datamodel] = {}

    def load(models: str, *, full: bool = False) -> Datamodel:
        text = models if full else HEADER + models
        key = hashlib.sha256(f"{version}\n{text}".encode()).hexdigest()[:24]
        if key not in memo:
            stored = CAPTURED / f"{key}.json"
            if not stored.exists():
                stored.write_text(json.dumps(_capture(text), separators=(",", ":")) + "\n")
            memo[key] = json.loads(stored.read_text())
        return memo[key]

    def _capture(text: str) -> Datamodel:
        from orm.prisma_cli import load_dmmf

        path = tmp_path_factory.mktemp("schema") / "schema.prisma"
        path.write_text(text)
        datamodel: Datamodel = load_dmmf(path)["dmmf"]["datamodel"]
        return datamodel

    return load


@pytest.fixture
def target(schema_url: str) -> Target:
    return parse_target(schema_url)


@pytest.fixture
async def conn(target: Target) -> AsyncIterator[Connection]:
    """A connection whose search_path is the test's schema."""
    connection = await connect(target)
    try:
        yield connection
    finally:
        await connection.close()
