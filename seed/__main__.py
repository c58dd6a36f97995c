"""`python -m seed [--scale small|medium|large] [--reset] [--seed 42] [--users N ...]`.

Reads DIRECT_URL, else DATABASE_URL (a `?schema=` parameter picks the schema). Progress goes to
stderr; the summary, with the demo accounts and their bearer tokens, to stdout. Refuses a
production schema (marked by `db push`, or ENVIRONMENT=production) unless given
--i-know-this-is-production.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import fields
from datetime import UTC, datetime

from orm.push.production import OVERRIDE_FLAG
from seed.config import SCALES, Counts
from seed.errors import SeedError
from seed.run import seed_database

# Counts field -> its short CLI alias
_ALIASES = {
    "ai_tests": "--tests",
    "project_files": "--files",
    "project_collaborators": "--collaborators",
    "api_response_times": "--api-timings",
}
_COUNT_FIELDS = [f.name for f in fields(Counts)]


def _anchor(text: str) -> datetime:
    """An ISO 8601 moment; without an offset it is taken as UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m seed", description="Seed the database in DATABASE_URL."
    )
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--reset", action="store_true", help="truncate the seeded tables first")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--anchor",
        type=_anchor,
        help="end of the seeded history, ISO 8601 with offset (default: start of this hour)",
    )
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="load with every index in place instead of dropping and rebuilding them",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        OVERRIDE_FLAG,
        dest="allow_production",
        action="store_true",
        help="seed (or --reset) a schema that is production: marked so by db push, or "
        "ENVIRONMENT=production",
    )
    for name in _COUNT_FIELDS:
        flags = [f"--{name.replace('_', '-')}", *([_ALIASES[name]] if name in _ALIASES else [])]
        parser.add_argument(*flags, dest=name, type=int, metavar="N", help=f"rows of {name}")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    # DIRECT_URL (Prisma's directUrl) skips PgBouncer: COPY and the index rebuild want a session.
    url = os.environ.get("DIRECT_URL") or os.environ.get("DATABASE_URL")
    if not url:
        print("DATABASE_URL is not set: export it (e.g. postgresql://user@host/db?schema=public)",
              file=sys.stderr)  # fmt: skip
        return 2
    overrides = {
        name: value for name in _COUNT_FIELDS if (value := getattr(args, name)) is not None
    }
    try:
        report = asyncio.run(
            seed_database(
                url,
                scale=args.scale,
                reset=args.reset,
                counts=overrides,
                seed=args.seed,
                anchor=args.anchor,
                drop_indexes=not args.keep_indexes,
                progress=not args.quiet,
                allow_production=args.allow_production,
            )
        )
    except (SeedError, ValueError) as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
