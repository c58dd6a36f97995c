"""Where the schema is when `--schema` isn't given, as the Prisma CLI looks for it."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["default_schema", "schema_args"]


def default_schema(cwd: Path | None = None) -> Path | None:
    """package.json's `prisma.schema`, else ./prisma/schema.prisma, else ./schema.prisma."""
    base = cwd or Path.cwd()
    package = base / "package.json"
    if package.is_file():
        try:
            configured = json.loads(package.read_text()).get("prisma", {}).get("schema")
        except (ValueError, AttributeError):
            configured = None
        if isinstance(configured, str):
            return base / configured
    for candidate in (base / "prisma" / "schema.prisma", base / "schema.prisma"):
        if candidate.is_file():
            return candidate
    return None


def schema_args(rest: list[str]) -> list[str]:
    """`rest` with `--schema <found>` added when it names none (our push defaults differ from
    the CLI's otherwise: it looks in ./prisma/ first)."""
    if any(arg == "--schema" or arg.startswith("--schema=") for arg in rest):
        return rest
    found = default_schema()
    return [*rest, "--schema", str(found)] if found is not None else rest
