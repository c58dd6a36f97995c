"""A minimal generator that writes the generator parameters (DMMF included) to a file.

Used by `orm.prisma_cli.load_dmmf`; speaks the same protocol as `orm.generator`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request["method"] == "getManifest":
            result: object = {
                "manifest": {
                    "prettyName": "DMMF dump",
                    "defaultOutput": str(out.parent),
                    "requiresEngines": [],
                }
            }
        else:
            out.write_text(json.dumps(request["params"]))
            result = None
        sys.stderr.write(
            json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}) + "\n"
        )
        sys.stderr.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
