"""Deterministic, bulk-loaded demo and benchmark data: `python -m seed` or `seed_database()`."""

from __future__ import annotations

from seed.demo import DEMO_ACCOUNTS, DemoAccount
from seed.errors import (
    DatabaseNotEmptyError,
    ProductionDatabaseError,
    SchemaMissingError,
    SeedError,
)
from seed.report import SeedReport, TableReport
from seed.run import seed_database

__all__ = [
    "DEMO_ACCOUNTS",
    "DatabaseNotEmptyError",
    "DemoAccount",
    "ProductionDatabaseError",
    "SchemaMissingError",
    "SeedError",
    "SeedReport",
    "TableReport",
    "seed_database",
]
