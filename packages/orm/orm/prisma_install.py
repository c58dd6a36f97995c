"""Find the pinned Prisma CLI, or install it once into a per-user cache.

A project that runs `npm ci` has the CLI in `node_modules/.bin/prisma`; we look for it upwards
from the working folder (and from this package, for an editable install inside such a project).
A user who only ran `pip install` has no node_modules: the first command that needs the CLI
installs `prisma@PRISMA_VERSION` with npm into a cache folder (prisma-client-py does the same
with nodeenv), and every later run finds it there.

    ORM_PRISMA_CLI=/path/to/prisma     use this executable, look nowhere else
    ORM_CACHE_DIR=/path                 the cache (default $XDG_CACHE_HOME or ~/.cache,
                                        then dreams-prisma-orm/)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PRISMA_VERSION", "PrismaCliError", "cache_dir", "describe_cli", "find_prisma_cli"]

PRISMA_VERSION = "7.10.1"
"""The Prisma CLI this ORM is built and tested against (the repository's package.json pins the
same version; a test keeps them equal)."""

NPM_TIMEOUT = 600.0


class PrismaCliError(RuntimeError):
    """The Prisma CLI could not be found, installed or run, or it rejected the schema."""


def cache_dir() -> Path:
    explicit = os.environ.get("ORM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dreams-prisma-orm"


def _in_node_modules(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        cli = folder / "node_modules" / ".bin" / "prisma"
        if cli.exists():
            return cli
    return None


def _installed_version(cli: Path) -> str | None:
    """The version in the `package.json` of the `prisma` package `cli` links to."""
    package = cli.resolve().parent.parent / "package.json"
    try:
        version = json.loads(package.read_text()).get("version")
    except (OSError, ValueError):
        return None
    return version if isinstance(version, str) else None


def _npm_install(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise PrismaCliError(
            f"The Prisma CLI {PRISMA_VERSION} is needed (it validates the schema and runs the "
            "generator) and npm, which installs it, is not on PATH. Install Node.js 20 or "
            f"newer (it comes with npm), or run `npm install prisma@{PRISMA_VERSION}` in your "
            "project, or point ORM_PRISMA_CLI at a prisma executable."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    command = [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund"]
    command += ["--no-save", "--loglevel=error", f"prisma@{PRISMA_VERSION}"]
    print(f"Installing the Prisma CLI {PRISMA_VERSION} into {target} (once) ...", flush=True)
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=NPM_TIMEOUT
        )
        if proc.returncode != 0:
            raise PrismaCliError(
                f"`npm install prisma@{PRISMA_VERSION}` failed:\n{proc.stdout}{proc.stderr}".strip()
            )
        try:
            staging.rename(target)  # atomic: a concurrent install that won keeps its folder
        except OSError:
            if not (target / "node_modules" / ".bin" / "prisma").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def find_prisma_cli(*, install: bool = True) -> Path:
    """The Prisma CLI to run: ORM_PRISMA_CLI, a project's node_modules, or the cache (installed
    there first when `install` and missing)."""
    explicit = os.environ.get("ORM_PRISMA_CLI")
    if explicit:
        if not Path(explicit).is_file():
            raise PrismaCliError(f"ORM_PRISMA_CLI={explicit} is not a file.")
        return Path(explicit)
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        found = _in_node_modules(start)
        if found is not None:
            return found
    cached = cache_dir() / f"prisma-{PRISMA_VERSION}"
    cli = cached / "node_modules" / ".bin" / "prisma"
    if not cli.exists():
        if not install:
            raise PrismaCliError(f"The Prisma CLI {PRISMA_VERSION} is not installed.")
        _npm_install(cached)
    return cli


def describe_cli() -> str:
    """Where the CLI would come from, for `prisma py version` (installs nothing)."""
    try:
        cli = find_prisma_cli(install=False)
    except PrismaCliError:
        return f"not installed yet (the first command installs it into {cache_dir()})"
    version = _installed_version(cli) or "unknown version"
    return f"{cli} ({version})"
