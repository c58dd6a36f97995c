"""Capture the generator parameters the golden tests run from: `python -m tests.generator.capture`.

Runs the Prisma CLI (so needs Node) once per schema below and stores what `generate` would
receive, minus the parts the generator ignores, in `fixtures/<name>.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orm.prisma_cli import load_dmmf
from tests import ROOT

JsonValue = Any

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SCHEMAS = {
    "orm_test": Path("tests/orm/schema.prisma"),
    "edge": Path("tests/generator/schemas/edge.prisma"),
    "extras": Path("tests/generator/schemas/extras.prisma"),
}


def capture(schema: Path) -> dict[str, JsonValue]:
    """`generate`'s params for `schema` (a path relative to the project root)."""
    params = load_dmmf(ROOT / schema)
    return {
        "datamodel": (ROOT / schema).read_text(),
        "dmmf": {"datamodel": params["dmmf"]["datamodel"]},
        "generator": {
            "name": "client",
            "provider": {"value": "python -m orm.generator", "fromEnvVar": None},
            "output": None,
        },
        "schemaPath": schema.as_posix(),
        "datasources": [
            {k: v for k, v in source.items() if k != "sourceFilePath"}
            for source in params["datasources"]
        ],
        "version": params["version"],
    }


def main() -> None:
    for name, schema in SCHEMAS.items():
        text = json.dumps(capture(schema), indent=1) + "\n"
        (FIXTURES / f"{name}.json").write_text(text)
        print(f"captured {schema} -> fixtures/{name}.json")


if __name__ == "__main__":
    main()
