"""The `generate` request: Prisma's parameters in, a client package written to `output`.

`check-generated` sets `ORM_GENERATOR_REDIRECT` to a folder: the package is then written to
`<folder>/<generator name>/<package>` instead, with `<folder>/<generator name>.json` naming the
output it stands for, so a fresh client can be compared with the committed one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orm.generator.dmmf import GeneratorConfig
from orm.generator.errors import GeneratorOutputError
from orm.generator.ir import build_ir
from orm.generator.render import render
from orm.generator.writer import write_package

__all__ = ["REDIRECT_ENV", "generate", "write_client"]

JsonValue = Any

REDIRECT_ENV = "ORM_GENERATOR_REDIRECT"


def write_client(params: Mapping[str, JsonValue], output: Path) -> bool:
    """Generate the client for `params` into `output` (the package is named after the folder).
    Returns False when `output` was already up to date."""
    ir = build_ir(params, package=output.name)
    return write_package(render(ir), output)


def _output(generator: GeneratorConfig) -> Path:
    value = generator.output.value if generator.output else None
    if not value:
        raise GeneratorOutputError(
            f'Generator {generator.name!r} has no output folder: add `output = "./prisma"` '
            "to its block in the schema."
        )
    return Path(value)


def generate(params: Mapping[str, JsonValue]) -> None:
    generator = GeneratorConfig.model_validate(params["generator"])
    output = _output(generator)
    redirect = os.environ.get(REDIRECT_ENV)
    if redirect:
        name = generator.name
        record = {"output": str(output)}
        Path(redirect, f"{name}.json").write_text(json.dumps(record))
        output = Path(redirect, name, output.name)
    write_client(params, output)
