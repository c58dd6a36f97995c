"""`python -m orm generate|check-generated`: run Prisma with our generator, or verify its output.

`check-generated` regenerates each schema's clients into a temporary folder (see
`generate.REDIRECT_ENV`) and compares them byte for byte with the committed output folders named
in the schema's generator blocks; CI fails on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path

from orm.generator.generate import REDIRECT_ENV
from orm.generator.writer import read_tree
from orm.prisma_cli import PrismaCliError, run_prisma

__all__ = ["check_generated", "compare_trees", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m orm")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="generate the client(s) a schema declares")
    generate.add_argument("--schema", type=Path, default=Path("schema.prisma"))
    check = commands.add_parser("check-generated", help="fail if a committed client is stale")
    check.add_argument("--schema", type=Path, action="append", dest="schemas")
    return parser


@contextmanager
def _environ(name: str, value: str) -> Generator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


def compare_trees(fresh: Path, committed: Path) -> list[str]:
    """One line per file that differs, is missing from `committed`, or is extra there."""
    new, old = read_tree(fresh), read_tree(committed)
    lines = [
        f"differs: {committed / name}"
        for name in sorted(new.keys() & old.keys())
        if new[name] != old[name]
    ]
    lines += [f"missing: {committed / name}" for name in sorted(new.keys() - old.keys())]
    lines += [f"extra:   {committed / name}" for name in sorted(old.keys() - new.keys())]
    return lines


def _check_schema(schema: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="orm-check-") as tmp:
        with _environ(REDIRECT_ENV, tmp):
            run_prisma(["generate", "--schema", str(schema)])
        records = sorted(Path(tmp).glob("*.json"))
        if not records:
            return [f"{schema}: no generator block runs `python -m orm.generator`"]
        problems: list[str] = []
        for record in records:
            committed = Path(json.loads(record.read_text())["output"])
            problems += compare_trees(Path(tmp, record.stem, committed.name), committed)
        return problems


def check_generated(schemas: list[Path]) -> int:
    problems: list[str] = []
    for schema in schemas:
        found = _check_schema(schema)
        problems += found
        if found:
            problems.append(f"  -> run `python -m orm generate --schema {schema}` and commit it")
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"generated clients are up to date: {', '.join(map(str, schemas))}")
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "generate":
            print(run_prisma(["generate", "--schema", str(args.schema)]).stdout.strip())
            return 0
        return check_generated(args.schemas or [Path("schema.prisma")])
    except PrismaCliError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
