"""Dispatch `prisma <command>`: ours where we replace an engine, the Prisma CLI's otherwise."""

from __future__ import annotations

import sys

from orm.cli.schema import schema_args
from orm.cli.seed import SeedError, run_seed
from orm.cli.version import print_version
from orm.prisma_cli import PrismaCliError, passthrough

__all__ = ["main", "run"]

NEEDS_ENGINE = {
    ("migrate",): "prisma migrate",
    ("db", "pull"): "prisma db pull",
    ("db", "execute"): "prisma db execute",
    ("studio",): "prisma studio",
}


def _refused(argv: list[str]) -> str | None:
    for prefix, name in NEEDS_ENGINE.items():
        if tuple(argv[: len(prefix)]) == prefix:
            return (
                f"`{name}` needs Prisma's schema engine, which this engine-free ORM does not "
                "ship. Use `prisma db push` to make the database match the schema (and plain SQL "
                "files for what the schema language can't say)."
            )
    return None


def _push(rest: list[str]) -> int:
    from orm.push.cli import main as push_main

    skip_generate = "--skip-generate" in rest
    rest = [arg for arg in rest if arg != "--skip-generate"]
    code = push_main(["push", *schema_args(rest)])
    if code != 0 or skip_generate or "--dry-run" in rest:
        return code
    return passthrough(["generate", *schema_args(_schema_only(rest))])


def _schema_only(rest: list[str]) -> list[str]:
    """The `--schema PATH` / `--schema=PATH` arguments of `rest`, nothing else."""
    kept: list[str] = []
    for i, arg in enumerate(rest):
        if arg == "--schema" and i + 1 < len(rest):
            kept += [arg, rest[i + 1]]
        elif arg.startswith("--schema="):
            kept.append(arg)
    return kept


def _py(rest: list[str]) -> int:
    if rest[:1] == ["version"]:
        return print_version(json_output="--json" in rest)
    if rest[:1] == ["generate"]:
        return passthrough(["generate", *schema_args(rest[1:])])
    print("usage: prisma py version [--json] | prisma py generate [--schema PATH]", file=sys.stderr)
    return 2


def main(argv: list[str]) -> int:
    refusal = _refused(argv)
    if refusal is not None:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    try:
        if argv[:2] == ["db", "push"]:
            return _push(argv[2:])
        if argv[:2] == ["db", "seed"]:
            return run_seed(argv[2:])
        if argv[:1] == ["py"]:
            return _py(argv[1:])
        if argv[:1] in (["generate"], ["validate"]):
            return passthrough([argv[0], *schema_args(argv[1:])])
        return passthrough(argv)
    except (PrismaCliError, SeedError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def run() -> None:
    """The console script's entry point."""
    raise SystemExit(main(sys.argv[1:]))
