"""Child process of `orm.generator.partials`: import the fresh client as the project names it,
run the partial type generator script, and write the partial types it created as JSON.

Usage: `python -m orm.generator.partials_runner PACKAGE_DIR IMPORT_NAME SCRIPT RESULT_JSON`.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import runpy
import sys
from pathlib import Path

from orm.runtime.partials import collected

__all__ = ["main"]


def _load(package: Path, name: str) -> None:
    parent, _, _ = name.rpartition(".")
    if parent:
        importlib.import_module(parent)
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the generated client at {package}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


def main(argv: list[str]) -> None:
    package, name, script, result = argv
    sys.path.insert(0, str(Path.cwd()))
    _load(Path(package), name)
    if script.endswith(".py") or "/" in script or "\\" in script:
        path = Path(script)
        if not path.is_file():
            raise SystemExit(f"The partial type generator script {script} does not exist.")
        runpy.run_path(str(path), run_name="__partial_types__")
    else:
        runpy.run_module(script, run_name="__partial_types__", alter_sys=True)
    specs = [spec.as_json() for spec in collected()]
    Path(result).write_text(json.dumps(specs))


if __name__ == "__main__":
    main(sys.argv[1:])
