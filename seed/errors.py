"""The seed's errors: what went wrong and what to do about it."""

from __future__ import annotations

__all__ = [
    "DatabaseNotEmptyError",
    "ProductionDatabaseError",
    "SchemaMissingError",
    "SeedError",
]


class SeedError(RuntimeError):
    """The seed could not run; the message says why and what to do."""


class SchemaMissingError(SeedError):
    def __init__(self, schema: str, missing: list[str]) -> None:
        super().__init__(
            f"Schema {schema!r} has no table(s) {', '.join(missing)}. Create them first with "
            "`python -m orm db push` (same DATABASE_URL), then run the seed again."
        )


class DatabaseNotEmptyError(SeedError):
    def __init__(self, schema: str, tables: list[str]) -> None:
        super().__init__(
            f"Schema {schema!r} already has data (in {', '.join(tables)}); the seed only fills "
            "an empty database. Run it with --reset to truncate every seeded table first "
            "(this deletes their rows), or point DATABASE_URL at an empty database."
        )


class ProductionDatabaseError(SeedError):
    """The schema is production data and `--i-know-this-is-production` was not given."""
