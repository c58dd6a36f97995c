"""prisma-client-py schemas, which name the database in the datasource block, for Prisma 7.

A schema written for prisma-client-py (Prisma 5) says `url = env("DATABASE_URL")` in its
datasource block; Prisma 7 refuses any `url`, `directUrl` or `shadowDatabaseUrl` there (P1012).
This ORM reads the URL from `DATABASE_URL` (or `datasource={"url": ...}`) and never needed the
line, so the CLI hands Prisma a copy without it: the user's file is left as written. Relative
generator `output` folders are made absolute in the copy, since Prisma resolves them against the
schema's folder.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["strip_datasource_urls", "without_datasource_urls"]

_DATASOURCE = re.compile(r"^datasource\s+\w+\s*\{.*?^\}", re.DOTALL | re.MULTILINE)
_URL_LINE = re.compile(r"^[ \t]*(?:url|directUrl|shadowDatabaseUrl)[ \t]*=.*\n?", re.MULTILINE)
_GENERATOR = re.compile(r"^generator\s+\w+\s*\{.*?^\}", re.DOTALL | re.MULTILINE)
_OUTPUT = re.compile(r'^([ \t]*output[ \t]*=[ \t]*)"([^"]*)"', re.MULTILINE)


def strip_datasource_urls(text: str) -> str:
    """`text` without the datasource block's URL lines (unchanged when it has none)."""
    return _DATASOURCE.sub(lambda block: _URL_LINE.sub("", block.group(0)), text)


def _absolute_outputs(text: str, folder: Path) -> str:
    def output(line: re.Match[str]) -> str:
        path = Path(line.group(2))
        return f'{line.group(1)}"{path if path.is_absolute() else (folder / path).resolve()}"'

    return _GENERATOR.sub(lambda block: _OUTPUT.sub(output, block.group(0)), text)


def _schema_index(args: list[str]) -> int | None:
    for i, arg in enumerate(args):
        if arg == "--schema" and i + 1 < len(args):
            return i + 1
        if arg.startswith("--schema="):
            return i
    return None


@contextmanager
def without_datasource_urls(args: list[str]) -> Generator[list[str]]:
    """`args` for the Prisma CLI, with `--schema` pointing at a copy of the schema without its
    datasource URL lines when it has any; the copy has the schema's file name (the generated
    header names it) and lives while the block runs."""
    index = _schema_index(args)
    if index is None:
        yield args
        return
    given = args[index].removeprefix("--schema=")
    schema = Path(given)
    text = schema.read_text() if schema.is_file() else ""
    stripped = strip_datasource_urls(text)
    if stripped == text:
        yield args
        return
    with tempfile.TemporaryDirectory(prefix="orm-schema-") as tmp:
        copy = Path(tmp) / schema.name
        copy.write_text(_absolute_outputs(stripped, schema.resolve().parent))
        changed = list(args)
        changed[index] = f"--schema={copy}" if args[index].startswith("--schema=") else str(copy)
        yield changed
