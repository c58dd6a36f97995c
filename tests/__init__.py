"""The test suite. `ROOT` is the repository's root folder (schemas, generated clients, sql/)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
