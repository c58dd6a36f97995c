"""Run pyright (strict) over the generated clients and the type-level cases in `cases/`.

One pyright run checks that the generated code is clean under strict mode and that each case
line marked `# pyright: ignore[...]` really is an error (unnecessary ignores are reported).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests import ROOT

JsonValue = Any


CASES = Path(__file__).parent / "cases"
CHECKED = [
    ROOT / "tests" / "orm" / "generated" / "client",
    ROOT / "tests" / "orm" / "conformance" / "generated" / "client",
    ROOT / "tests" / "orm" / "conformance" / "generated" / "sync_client",
    ROOT / "tests" / "generator" / "generated",
    ROOT / "prisma",
    CASES,
]


def _pyright() -> list[str]:
    local = Path(sys.executable).parent / "pyright"
    return [str(local)] if local.exists() else [shutil.which("pyright") or "pyright"]


def _config(folder: Path) -> Path:
    """A strict config that checks generated folders (the project config excludes them)."""
    config = {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "reportMissingTypeStubs": False,
        "venvPath": os.path.relpath(ROOT, folder),
        "venv": ".venv",
        # orm resolves as the installed library (a user's view): generated code must pass
        # pyright strict's library rules (no wildcard imports from it), not just local ones.
        "extraPaths": [os.path.relpath(ROOT, folder)],
    }
    path = folder / "pyrightconfig.json"
    path.write_text(json.dumps(config))
    return path


def _describe(diagnostic: dict[str, JsonValue]) -> str:
    line = diagnostic["range"]["start"]["line"] + 1
    rule = diagnostic.get("rule", "")
    return f"{diagnostic['file']}:{line}: {diagnostic['message']} [{rule}]"


def test_generated_code_and_cases_type_check(tmp_path: Path) -> None:
    paths = [str(p) for p in CHECKED if p.exists()]
    proc = subprocess.run(
        [*_pyright(), "--outputjson", "-p", str(_config(tmp_path)), *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    report: dict[str, JsonValue] = json.loads(proc.stdout)
    problems = [_describe(d) for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert problems == [], "\n".join(problems)
    assert report["summary"]["filesAnalyzed"] > len(paths)
