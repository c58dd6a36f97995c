"""Run the project's partial type generator script against the freshly generated client.

prisma-client-py's `partial_type_generator` option names a script (`scripts/partial_types.py`)
or module (`scripts.partial_types`), relative to the working directory. (prisma-client-py also
looks for `prisma/partial_types.py` unasked; here the output folder is often `./prisma`, which
generation replaces, so the option must be set.) The script imports the generated models
(`from prisma.models import User`) and calls `User.create_partial(...)`. It runs in a child
process (`partials_runner`) in which the client just generated, not a committed copy, answers
to the package's import name, so the types always match the schema being generated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orm.generator.errors import GeneratorInputError

__all__ = ["collect_partials", "import_name", "script_option"]

JsonValue = Any

GENERATOR_ENV = "PRISMA_GENERATOR_INVOCATION"  # orm.runtime.partials.GENERATOR_ENV


def script_option(config: Mapping[str, str | list[str]]) -> str | None:
    """The script or module to run, or None when the project has none."""
    value = config.get("partial_type_generator")
    if isinstance(value, list):
        raise GeneratorInputError("generator `partial_type_generator` must be one string.")
    return value or None


def import_name(output: Path) -> str:
    """How the project imports the package at `output`: its dotted path from the working
    directory when it lies beneath it (`tests.orm.generated.client`), else the folder's name."""
    try:
        parts = output.resolve().relative_to(Path.cwd()).parts
    except ValueError:
        return output.name
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else output.name


def collect_partials(script: str, package: Path, name: str) -> list[dict[str, JsonValue]]:
    """The partial types `script` creates, with the package at `package` imported as `name`."""
    with tempfile.TemporaryDirectory(prefix="orm-partials-") as tmp:
        result = Path(tmp, "partials.json")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "orm.generator.partials_runner",
                str(package),
                name,
                script,
                str(result),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, GENERATOR_ENV: "1"},
        )
        if proc.returncode != 0:
            raise GeneratorInputError(
                f"The partial type generator {script!r} failed:\n{proc.stderr.strip()}"
            )
        specs: list[dict[str, JsonValue]] = json.loads(result.read_text())
        return specs
