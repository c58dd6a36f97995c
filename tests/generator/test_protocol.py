"""The JSON-RPC protocol `prisma generate` speaks with `python -m orm.generator`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from orm.generator.errors import GeneratorInputError
from orm.generator.protocol import handle
from tests import ROOT

JsonValue = Any


def _never(params: Mapping[str, JsonValue]) -> None:
    raise AssertionError("generate should not run")


def test_get_manifest_declares_no_engines() -> None:
    reply = handle({"jsonrpc": "2.0", "id": 1, "method": "getManifest", "params": {}}, _never)
    assert reply["id"] == 1
    manifest = reply["result"]["manifest"]
    assert manifest["requiresEngines"] == []
    assert manifest["defaultOutput"] == "prisma"
    assert manifest["prettyName"]


def test_generate_passes_params_and_answers_null() -> None:
    seen: list[Mapping[str, JsonValue]] = []
    reply = handle(
        {"jsonrpc": "2.0", "id": 2, "method": "generate", "params": {"a": 1}}, seen.append
    )
    assert seen == [{"a": 1}]
    assert reply == {"jsonrpc": "2.0", "id": 2, "result": None}


def test_schema_problem_is_reported_as_server_error_with_traceback() -> None:
    def fail(params: Mapping[str, JsonValue]) -> None:
        raise GeneratorInputError("Field User.prisma shadows a method; rename it.")

    reply = handle({"jsonrpc": "2.0", "id": 3, "method": "generate", "params": {}}, fail)
    error = reply["error"]
    assert error["code"] == -32000
    assert error["message"] == "Field User.prisma shadows a method; rename it."
    assert "Traceback" in error["data"]["stack"]


def test_crash_puts_traceback_in_the_message_the_cli_prints() -> None:
    def crash(params: Mapping[str, JsonValue]) -> None:
        raise KeyError("models")

    reply = handle({"jsonrpc": "2.0", "id": 4, "method": "generate", "params": {}}, crash)
    assert reply["error"]["code"] == -32000
    assert "KeyError: 'models'" in reply["error"]["message"]
    assert "Traceback" in reply["error"]["message"]


def test_unknown_method_is_method_not_found() -> None:
    reply = handle({"jsonrpc": "2.0", "id": 5, "method": "explode"}, _never)
    assert reply["error"]["code"] == -32601


def test_process_answers_on_stderr_one_line_per_request() -> None:
    requests: list[dict[str, JsonValue]] = [
        {"jsonrpc": "2.0", "id": 1, "method": "getManifest", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "generate", "params": {"generator": {}}},
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "orm.generator"],
        input="".join(json.dumps(r) + "\n" for r in requests),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert proc.stdout == ""
    replies = [json.loads(line) for line in proc.stderr.splitlines()]
    assert [r["id"] for r in replies] == [1, 2]
    assert replies[0]["result"]["manifest"]["requiresEngines"] == []
    assert replies[1]["error"]["code"] == -32000
