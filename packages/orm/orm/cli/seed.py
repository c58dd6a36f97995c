"""`prisma db seed`: run the seed command the project configures, as Prisma's CLI does.

Looked up in order: `migrations.seed` in prisma.config.ts (Prisma 7's place), `prisma.seed` in
package.json (Prisma 6's), and `[tool.prisma] seed` in pyproject.toml (for Python projects with
no JavaScript files). Arguments after `--` are appended to the command.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

__all__ = ["SeedError", "find_seed_command", "run_seed"]

_CONFIG_SEED = re.compile(r"""\bseed\s*:\s*(['"`])(?P<command>.+?)\1""")


class SeedError(RuntimeError):
    """No seed command is configured, or its configuration can't be read."""


def _from_config_ts(base: Path) -> str | None:
    for name in ("prisma.config.ts", "prisma.config.mts", "prisma.config.js"):
        path = base / name
        if path.is_file():
            found = _CONFIG_SEED.search(path.read_text())
            if found:
                return found.group("command")
    return None


def _from_package_json(base: Path) -> str | None:
    path = base / "package.json"
    if not path.is_file():
        return None
    try:
        seed = json.loads(path.read_text()).get("prisma", {}).get("seed")
    except (ValueError, AttributeError) as error:
        raise SeedError(f"{path} is not valid JSON: {error}") from error
    return seed if isinstance(seed, str) else None


def _from_pyproject(base: Path) -> str | None:
    path = base / "pyproject.toml"
    if not path.is_file():
        return None
    try:
        seed = tomllib.loads(path.read_text()).get("tool", {}).get("prisma", {}).get("seed")
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"{path} is not valid TOML: {error}") from error
    return seed if isinstance(seed, str) else None


def find_seed_command(base: Path) -> str | None:
    for source in (_from_config_ts, _from_package_json, _from_pyproject):
        command = source(base)
        if command:
            return command
    return None


def run_seed(rest: list[str], *, cwd: Path | None = None) -> int:
    base = cwd or Path.cwd()
    command = find_seed_command(base)
    if command is None:
        raise SeedError(
            "No seed command is configured. Add one to pyproject.toml:\n\n"
            '    [tool.prisma]\n    seed = "python -m seed"\n\n'
            'or to package.json ("prisma": {"seed": "..."}) or prisma.config.ts '
            '(migrations: {seed: "..."}).'
        )
    extra = rest[1:] if rest[:1] == ["--"] else rest
    line = " ".join([command, *map(shlex.quote, extra)])
    print(f"Running seed command `{line}` ...", flush=True)
    code = subprocess.run(line, shell=True, cwd=base, check=False).returncode
    if code == 0:
        print("The seed command has been executed.")
    else:
        print(f"error: the seed command `{line}` exited with {code}.")
    return code
