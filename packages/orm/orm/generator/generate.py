"""The `generate` request: Prisma's parameters in, a client package written to `output`.

`check-generated` sets `ORM_GENERATOR_REDIRECT` to a folder: the package is then written to
`<folder>/<generator name>/<package>` instead, with `<folder>/<generator name>.json` naming the
output it stands for, so a fresh client can be compared with the committed one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orm.generator.dmmf import GeneratorConfig
from orm.generator.errors import GeneratorOutputError
from orm.generator.ir import build_ir
from orm.generator.partials import collect_partials, import_name, script_option
from orm.generator.render import render
from orm.generator.writer import write_package

__all__ = ["REDIRECT_ENV", "generate", "write_client"]

JsonValue = Any

REDIRECT_ENV = "ORM_GENERATOR_REDIRECT"


def write_client(params: Mapping[str, JsonValue], output: Path, *, name: str = "") -> bool:
    """Generate the client for `params` into `output` (the package is named after the folder;
    `name` is how the project imports it, for its partial type generator script).
    Returns False when `output` was already up to date."""
    config = GeneratorConfig.model_validate(params["generator"]).config
    script = script_option(config)
    partials: list[dict[str, JsonValue]] = []
    if script is not None:
        first = render(build_ir(params, package=output.name))
        with tempfile.TemporaryDirectory(prefix="orm-client-") as tmp:
            staged = Path(tmp, output.name)
            for file, text in first.items():
                Path(staged, file).parent.mkdir(parents=True, exist_ok=True)
                Path(staged, file).write_text(text, encoding="utf-8")
            partials = collect_partials(script, staged, name or import_name(output))
    ir = build_ir(params, package=output.name, partials=partials)
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
    name = import_name(output)
    if redirect:
        name = generator.name
        record = {"output": str(output)}
        Path(redirect, f"{name}.json").write_text(json.dumps(record))
        output = Path(redirect, name, output.name)
    write_client(params, output, name=name)
