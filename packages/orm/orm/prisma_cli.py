"""Run the pinned Prisma CLI offline and read the DMMF it produces.

The Prisma CLI wants a schema-engine binary it cannot download here. `validate`, `format` and
`generate` only need the bundled WebAssembly, so any executable named by
`PRISMA_SCHEMA_ENGINE_BINARY` satisfies the check; we point it at a stub that refuses to run.

`load_dmmf` copies the schema to a temporary folder, replaces its generator blocks with one whose
provider is `python -m orm.dmmf_dump`, and runs `prisma generate`: the CLI hands that provider the
full DMMF over the generator protocol and the provider writes it to a file. This works for any
schema, whatever generators it declares.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orm.datasource import DATASOURCE_ENV, DatasourceError
from orm.prisma_install import PrismaCliError, find_prisma_cli
from orm.schema_compat import SCHEMA_SHA256_ENV, strip_datasource_urls, without_datasource_urls

__all__ = [
    "PrismaCliError",
    "find_prisma_cli",
    "load_dmmf",
    "passthrough",
    "prisma_env",
    "run_prisma",
]

JsonValue = Any

_GENERATOR_BLOCK = re.compile(r"^generator\s+\w+\s*\{.*?^\}", re.DOTALL | re.MULTILINE)
_STUB_ENGINE = "#!/bin/sh\necho 'schema engine is not available offline' >&2\nexit 1\n"


def _stub_engine() -> Path:
    path = Path(tempfile.gettempdir()) / f"orm-stub-schema-engine-{os.getuid()}"
    if not path.exists() or path.read_text() != _STUB_ENGINE:
        tmp = path.with_suffix(f".{os.getpid()}")
        tmp.write_text(_STUB_ENGINE)
        tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        tmp.replace(path)
    return path


def prisma_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in (DATASOURCE_ENV, SCHEMA_SHA256_ENV):  # set per schema by `_for_prisma` only
        env.pop(name, None)
    env.setdefault("PRISMA_SCHEMA_ENGINE_BINARY", str(_stub_engine()))
    env["PRISMA_HIDE_UPDATE_MESSAGE"] = "1"
    env["CHECKPOINT_DISABLE"] = "1"
    env["PRISMA_GENERATE_SKIP_AUTOINSTALL"] = "1"
    # `provider = "python -m orm.generator"` must find this interpreter (the project's venv).
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["ORM_PYTHON"] = sys.executable
    return env


@contextmanager
def _for_prisma(args: list[str]) -> Generator[tuple[list[str], dict[str, str]]]:
    """The CLI's arguments and environment for `args` (see `orm.schema_compat`)."""
    try:
        with without_datasource_urls(args) as prepared:
            yield prepared.args, {**prisma_env(), **prepared.environ}
    except DatasourceError as error:
        raise PrismaCliError(str(error)) from None


def run_prisma(args: list[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cli = find_prisma_cli()
    with _for_prisma(args) as (prisma_args, env):
        proc = subprocess.run(
            [str(cli), *prisma_args], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        raise PrismaCliError(
            f"`prisma {' '.join(args)}` failed:\n{proc.stdout}{proc.stderr}".strip()
        )
    return proc


def passthrough(args: list[str], *, cwd: Path | None = None) -> int:
    """Run `prisma <args>` with this terminal's output; its exit code."""
    cli = find_prisma_cli()
    if args[:1] == ["format"]:  # formats the file in place: never a copy
        return subprocess.run([str(cli), *args], cwd=cwd, env=prisma_env(), check=False).returncode
    with _for_prisma(args) as (prisma_args, env):
        return subprocess.run([str(cli), *prisma_args], cwd=cwd, env=env, check=False).returncode


def load_dmmf(schema: Path) -> dict[str, JsonValue]:
    """The generator parameters for `schema` (keys `dmmf`, `datamodel`, `datasources`, ...)."""
    schema = schema.resolve()
    if not schema.is_file():
        raise PrismaCliError(f"No schema file at {schema}")
    text = _GENERATOR_BLOCK.sub("", strip_datasource_urls(schema.read_text()))
    with tempfile.TemporaryDirectory(prefix="orm-dmmf-") as tmp:
        out = Path(tmp) / "dmmf.json"
        provider = f"{shlex.quote(sys.executable)} -m orm.dmmf_dump {shlex.quote(str(out))}"
        tmp_schema = Path(tmp) / "schema.prisma"
        tmp_schema.write_text(
            f"{text}\ngenerator dmmf_dump {{\n"
            f'  provider = "{provider}"\n'
            f'  output = "{tmp}/out"\n'
            "}\n"
        )
        run_prisma(["generate", "--schema", str(tmp_schema)], cwd=schema.parent)
        if not out.exists():
            raise PrismaCliError("prisma generate ran but the DMMF dump generator wrote nothing")
        params: dict[str, JsonValue] = json.loads(out.read_text())
        shutil.rmtree(Path(tmp) / "out", ignore_errors=True)
    params["schemaPath"] = str(schema)
    return params
