"""Fixtures for `db push` tests: DMMF for small schemas (cached), a target, a catalog view.

Capturing DMMF runs the Prisma CLI (about a second), so `datamodel_of` keeps each schema's
datamodel in pytest's cache, keyed by the schema text and the Prisma version; later runs need
no Node at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol, cast

import pytest

from orm.push.db import Connection
from orm.push.dmmf import JsonValue
from orm.push.target import Target, connect, parse_target
from tests.push.helpers import HEADER

Datamodel = dict[str, JsonValue]


class DatamodelOf(Protocol):
    def __call__(self, models: str, *, full: bool = False) -> Datamodel: ...


ROOT = Path(__file__).resolve().parents[2]


def _prisma_version() -> str:
    package = ROOT / "node_modules" / "prisma" / "package.json"
    return str(json.loads(package.read_text())["version"]) if package.exists() else "unknown"


@pytest.fixture(scope="session")
def datamodel_of(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> DatamodelOf:
    """`datamodel_of(models)`: the DMMF datamodel of `models` after a PostgreSQL datasource.

    `datamodel_of(text, full=True)` takes a whole schema file's text instead.
    """
    version = _prisma_version()
    cache: pytest.Cache | None = getattr(request.config, "cache", None)
    memo: dict[str, Datamodel] = {}

    def load(models: str, *, full: bool = False) -> Datamodel:
        text = models if full else HEADER + models
        key = "push/dmmf/" + hashlib.sha256(f"{version}\n{text}".encode()).hexdigest()[:24]
        if key not in memo:
            cached: object = cache.get(key, None) if cache else None  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
            memo[key] = cast(Datamodel, cached) if isinstance(cached, dict) else _capture(text)
            if cache and cached is None:
                cache.set(key, memo[key])
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
