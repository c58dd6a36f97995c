"""The `generate` request: Prisma's parameters in, a client package written to `output`.

The datasource URLs the user's schema names come in `ORM_DATASOURCE` (see `orm.datasource`),
and its file's sha256 in `ORM_SCHEMA_SHA256` when Prisma was handed a copy without them (Prisma 7
refuses them in the schema; see `orm.schema_compat`).

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

from orm.datasource import DATASOURCE_ENV, DatasourceError, DatasourceUrls
from orm.generator.dmmf import GeneratorConfig
from orm.generator.errors import GeneratorInputError, GeneratorOutputError
from orm.generator.ir import build_ir
from orm.generator.partials import collect_partials, import_name, script_option
from orm.generator.render import render
from orm.generator.writer import write_package
from orm.schema_compat import SCHEMA_SHA256_ENV

__all__ = ["REDIRECT_ENV", "generate", "write_client"]

JsonValue = Any

REDIRECT_ENV = "ORM_GENERATOR_REDIRECT"


def write_client(params: Mapping[str, JsonValue], output: Path, *, name: str = "") -> bool:
    """Generate the client for `params` into `output` (the package is named after the folder;
    `name` is how the project imports it, for its partial type generator script).
    Returns False when `output` was already up to date."""
    config = GeneratorConfig.model_validate(params["generator"]).config
    datasource, sha = _datasource(), os.environ.get(SCHEMA_SHA256_ENV)
    script = script_option(config)
    partials: list[dict[str, JsonValue]] = []
    if script is not None:
        first = render(
            build_ir(params, package=output.name, datasource=datasource, schema_sha256=sha)
        )
        with tempfile.TemporaryDirectory(prefix="orm-client-") as tmp:
            staged = Path(tmp, output.name)
            for file, text in first.items():
                Path(staged, file).parent.mkdir(parents=True, exist_ok=True)
                Path(staged, file).write_text(text, encoding="utf-8")
            partials = collect_partials(script, staged, name or import_name(output))
    ir = build_ir(
        params, package=output.name, partials=partials, datasource=datasource, schema_sha256=sha
    )
    return write_package(render(ir), output)


def _datasource() -> DatasourceUrls:
    try:
        return DatasourceUrls.from_json(os.environ.get(DATASOURCE_ENV, ""))
    except DatasourceError as error:
        raise GeneratorInputError(str(error)) from None


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
