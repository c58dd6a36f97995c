"""prisma-client-py schemas, which name the database in the datasource block, for Prisma 7.

A schema written for prisma-client-py (Prisma 5) says `url = env("APP_DB")` in its datasource
block; Prisma 7 refuses any `url`, `directUrl` or `shadowDatabaseUrl` there (P1012). The CLI
hands Prisma a copy without those lines (the user's file is left as written), and tells our
generator, in its environment, what the copy lost: the names (`ORM_DATASOURCE`, see
`orm.datasource`) and the file's own sha256 (`ORM_SCHEMA_SHA256`: the generated header and
`db push --from-client`'s staleness check name the user's file, not the copy, whose text
depends on where the project lives). Relative generator `output` folders are made absolute in
the copy, since Prisma resolves them against the schema's folder.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from orm.datasource import DATASOURCE_ENV, parse_datasource

__all__ = [
    "SCHEMA_SHA256_ENV",
    "ForPrisma",
    "strip_datasource_urls",
    "without_datasource_urls",
]

SCHEMA_SHA256_ENV = "ORM_SCHEMA_SHA256"

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


class ForPrisma(NamedTuple):
    args: list[str]
    """The Prisma CLI's arguments, `--schema` naming the copy when one was made."""
    environ: dict[str, str]
    """For the generator: `ORM_DATASOURCE` (always), `ORM_SCHEMA_SHA256` (with a copy)."""


@contextmanager
def without_datasource_urls(args: list[str]) -> Generator[ForPrisma]:
    """`args` for the Prisma CLI, with `--schema` pointing at a copy of the schema without its
    datasource URL lines when it has any; the copy has the schema's file name (the generated
    header names it) and lives while the block runs. Raises `DatasourceError` for a URL line
    it can't read."""
    index = _schema_index(args)
    schema = Path(args[index].removeprefix("--schema=")) if index is not None else None
    text = schema.read_text() if schema is not None and schema.is_file() else ""
    environ = {DATASOURCE_ENV: parse_datasource(text).to_json()}
    stripped = strip_datasource_urls(text)
    if schema is None or index is None or stripped == text:
        yield ForPrisma(args, environ)
        return
    environ[SCHEMA_SHA256_ENV] = hashlib.sha256(text.encode()).hexdigest()
    with tempfile.TemporaryDirectory(prefix="orm-schema-") as tmp:
        copy = Path(tmp) / schema.name
        copy.write_text(_absolute_outputs(stripped, schema.resolve().parent))
        changed = list(args)
        changed[index] = f"--schema={copy}" if args[index].startswith("--schema=") else str(copy)
        yield ForPrisma(changed, environ)
