"""`python -m seed`: exit codes and messages a person at the terminal sees."""

from __future__ import annotations

import pytest

from seed import SeedReport
from seed.__main__ import main


def test_without_database_url_says_how_to_set_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["--scale", "tiny"]) == 2
    assert "DATABASE_URL is not set" in capsys.readouterr().err


def test_impossible_counts_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["--scale", "tiny", "--users", "0"]) == 1
    assert "give --users > 0" in capsys.readouterr().err


def test_second_run_is_refused_with_a_hint(
    seeded: tuple[str, SeedReport, set[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setenv("DATABASE_URL", seeded[0])
    assert main(["--scale", "tiny", "--quiet"]) == 1
    assert "Run it with --reset" in capsys.readouterr().err
