"""Prisma's generator protocol: JSON-RPC 2.0 requests on stdin, one JSON reply per line on stderr.

Prisma first asks `getManifest`, then sends `generate` with the DMMF. A failure is answered with
error code -32000 whose data carries the traceback. The Prisma CLI prints only the message, so
for a problem in the schema it is the explanation, and for a bug it includes the traceback.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

from orm.generator.errors import GeneratorError
from orm.schema_compat import SCHEMA_DIR_ENV

__all__ = ["MANIFEST", "SERVER_ERROR", "handle", "manifest", "serve"]

JsonValue = Any
Generate = Callable[[Mapping[str, JsonValue]], None]

SERVER_ERROR = -32000
METHOD_NOT_FOUND = -32601
MANIFEST: dict[str, JsonValue] = {
    "prettyName": "Python ORM client",
    "defaultOutput": "prisma",
    "requiresEngines": [],
}


def manifest() -> dict[str, JsonValue]:
    """`MANIFEST`; Prisma resolves a relative `defaultOutput` against the schema it reads, so
    when that is a copy (`orm.schema_compat`) the default is made absolute against the user's
    schema folder."""
    folder = os.environ.get(SCHEMA_DIR_ENV)
    if not folder:
        return MANIFEST
    return {**MANIFEST, "defaultOutput": str(Path(folder) / str(MANIFEST["defaultOutput"]))}


def _error(request_id: JsonValue, code: int, message: str, stack: str = "") -> dict[str, JsonValue]:
    error: dict[str, JsonValue] = {"code": code, "message": message, "data": {"stack": stack}}
    return {"jsonrpc": "2.0", "id": request_id, "error": error}


def handle(request: Mapping[str, JsonValue], generate: Generate) -> dict[str, JsonValue]:
    """The reply to one request."""
    request_id = request.get("id")
    method = request.get("method")
    try:
        if method == "getManifest":
            result: JsonValue = {"manifest": manifest()}
        elif method == "generate":
            generate(request.get("params") or {})
            result = None
        else:
            return _error(request_id, METHOD_NOT_FOUND, f"Unknown generator method {method!r}")
    except GeneratorError as exc:
        return _error(request_id, SERVER_ERROR, str(exc), traceback.format_exc())
    except Exception:
        # A bug: the CLI shows only the message, so the traceback goes in it too.
        stack = traceback.format_exc()
        message = f"orm.generator crashed; please report this traceback:\n{stack}"
        return _error(request_id, SERVER_ERROR, message, stack)
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def serve(stdin: IO[str], stderr: IO[str], generate: Generate) -> None:
    """Answer requests until stdin closes."""
    for line in stdin:
        if not line.strip():
            continue
        reply = handle(json.loads(line), generate)
        stderr.write(json.dumps(reply) + "\n")
        stderr.flush()
