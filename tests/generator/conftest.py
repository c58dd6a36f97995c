"""Generator tests: captured DMMF fixtures, golden output folders and the `--update-goldens` flag.

`pytest tests/generator --update-goldens` rewrites `generated/<fixture>/` from the fixtures
instead of comparing; review the diff and commit it with the generator change that caused it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

JsonValue = Any

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDENS = HERE / "generated"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
# The ORM test schema's golden is the client the ORM tests import, not a second copy of it.
ORM_TEST_CLIENT = HERE.parent / "orm" / "generated" / "client"


def golden(name: str) -> Path:
    """The committed folder the generator's output for fixture `name` must equal."""
    return ORM_TEST_CLIENT if name == "orm_test" else GOLDENS / name


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the golden folders from the fixtures instead of comparing",
    )


def load_fixture(name: str) -> dict[str, JsonValue]:
    params: dict[str, JsonValue] = json.loads((FIXTURES / f"{name}.json").read_text())
    return params


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens", default=False))
