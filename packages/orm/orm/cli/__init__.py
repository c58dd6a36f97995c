"""The `prisma` console script, as prisma-client-py installs it, with no Prisma engine.

    prisma generate [--schema PATH]          the Prisma CLI runs our generator (offline)
    prisma db push [--schema PATH] [...]     our engine-free push, then generate
                                             (--skip-generate, --accept-data-loss,
                                             --force-reset, --dry-run, --from-client, --sql-dir)
    prisma db seed [-- ARGS]                 the seed command from the project's configuration
    prisma py version [--json]               versions of everything involved
    prisma format | validate | init | ...    handed to the pinned Prisma CLI unchanged

Commands that need Prisma's schema engine (`migrate`, `db pull`, `db execute`, `studio`) are
refused with a message: this ORM has no engine binaries.
"""

from __future__ import annotations

from orm.cli.main import main, run

__all__ = ["main", "run"]
