"""Fixtures for the API's reliability tests: the real app, PostgreSQL and Redis of `tests/api`.

Test modules take them by importing the names (pytest finds fixtures by name in the module):
`run_api` (the app on a small schema of its own), `domain_api` (the domain schema on empty
tables, with the users alice, bob and root), and what they depend on.
"""

from __future__ import annotations

from tests.api.conftest import api_database, redis_prefix, run_api, settings
from tests.api.domain_fixtures import domain_api, domain_database

__all__ = [
    "api_database",
    "domain_api",
    "domain_database",
    "redis_prefix",
    "run_api",
    "settings",
]
