"""`python -m orm <command>`: generate, check-generated, db push, db refresh-views."""

from __future__ import annotations

import sys

USAGE = """usage: python -m orm <command> [options]

commands:
  generate [--schema PATH]            run `prisma generate` offline with our Python generator
  check-generated [--schema PATH]...  fail if a committed generated client differs from a fresh one
  db push [--schema PATH] [...]       apply the schema to the database its datasource's directUrl
                                      or url names (a schema naming none: DATABASE_URL)
                                      (--dry-run, --accept-data-loss, --force-reset,
                                      --from-client PACKAGE, --sql-dir DIR; see db push -h)
  db refresh-views [--concurrently]   refresh every materialized view in the target schema
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command in {"generate", "check-generated"}:
        from orm.generator.cli import main as generator_main

        return generator_main([command, *rest])
    if command == "db":
        from orm.push.cli import main as push_main

        return push_main(rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
