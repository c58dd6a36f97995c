"""`prisma py version`: what prisma-client-py's prints, for this engine-free ORM."""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from pathlib import Path

from orm.prisma_install import PRISMA_VERSION, cache_dir, describe_cli

__all__ = ["print_version"]

DISTRIBUTION = "dreams-prisma-orm"


def _orm_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed as a distribution)"


def print_version(*, json_output: bool = False) -> int:
    info = {
        "prisma": PRISMA_VERSION,
        "dreams-prisma-orm": _orm_version(),
        "python": platform.python_version(),
        "platform": f"{platform.system().lower()}-{platform.machine()}",
        "engines": "none (queries compile through SQLAlchemy Core and run on asyncpg)",
        "install path": str(Path(__file__).resolve().parent.parent),
        "prisma cli": describe_cli(),
        "cli cache dir": str(cache_dir()),
    }
    if json_output:
        print(json.dumps(info, indent=2))
        return 0
    width = max(map(len, info))
    for key, value in info.items():
        print(f"{key.ljust(width)} : {value}", file=sys.stdout)
    return 0
