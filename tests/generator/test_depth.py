"""`recursive_type_depth` (prisma-client-py's generator option): relation inputs are typed for
that many levels, then take any dict; -1 (the default here) types them all the way down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orm.generator.errors import GeneratorInputError
from orm.generator.generate import write_client
from orm.generator.ir import ClientIR, TypedDictDef, build_ir
from tests import ROOT
from tests.generator.conftest import load_fixture

JsonValue = Any


def _params(depth: JsonValue) -> dict[str, JsonValue]:
    params = load_fixture("orm_test")
    if depth is not None:
        params["generator"].setdefault("config", {})["recursive_type_depth"] = depth
    return params


def _ir(depth: JsonValue) -> ClientIR:
    return build_ir(_params(depth), package="client")


def _types(ir: ClientIR) -> dict[str, dict[str, str]]:
    return {
        t.name: {k.key: k.type for k in t.keys}
        for m in ir.models
        for t in m.types
        if isinstance(t, TypedDictDef)
    }


def test_default_and_minus_one_type_relations_all_the_way_down() -> None:
    default = _ir(None)
    assert default == _ir("-1")
    types = _types(default)
    assert not [name for name in types if "Recursive" in name]
    assert types["PostListRelationFilter"]["some"] == "PostWhereInput"
    assert types["PostWhereInput"]["author"] == "UserRelationFilter | UserWhereInput"


def test_depth_two_types_one_relation_hop_then_takes_any_dict() -> None:
    types = _types(_ir("2"))
    # level 0: the names queries take; a relation hop goes to level 1
    assert types["UserWhereInput"]["posts"] == "PostListRelationFilter"
    assert types["PostListRelationFilter"]["some"] == "PostWhereInputRecursive1"
    assert types["FindManyPostArgs"]["include"] == "PostIncludeRecursive1"
    assert types["PostInclude"]["author"] == "bool | UserArgs"
    # level 1, the last: its relations take any dict; AND/OR/NOT stay typed on their level
    level1 = types["PostWhereInputRecursive1"]
    assert level1["author"] == "UserRelationFilterRecursive1 | Mapping[str, Any]"
    assert types["UserRelationFilterRecursive1"]["is"] == "Mapping[str, Any] | None"
    assert level1["AND"] == "PostWhereInputRecursive1 | list[PostWhereInputRecursive1]"
    assert types["UserArgsRecursive1"]["include"] == "Mapping[str, Any]"
    assert "PostWhereInputRecursive2" not in types
    # inputs that reach no relation keep one copy
    assert "PostCreateInputRecursive1" not in types
    assert "PostScalarWhereWithAggregatesInputRecursive1" not in types


@pytest.mark.parametrize("value", ["0", "1", "-2", "five", ["5"]])
def test_values_prisma_client_py_refuses_are_refused(value: JsonValue) -> None:
    with pytest.raises(GeneratorInputError, match=r"recursive_type_depth.*-1 \(unlimited\)"):
        _ir(value)


USAGE = """from __future__ import annotations

from client import Prisma


async def main(db: Prisma) -> None:
    posts = await db.post.find_many(
        where={"title": {"contains": "a"}, "author": {"is": {"email": {"contains": "@"}}}},
        include={"author": {"include": {"posts": {"include": {"anything": True}}}}},
    )
    for post in posts:
        print(post.title, post.author.email if post.author else None)
    await db.post.find_many(where={"author": {"is": {"no_such_field": 1}}})
"""


def test_user_file_type_checks_strict_and_level_zero_stays_checked(tmp_path: Path) -> None:
    """With depth 2 a nested query past the typed levels passes; a wrong key one hop down is
    still an error."""
    write_client(_params("2"), tmp_path / "client")
    (tmp_path / "usage.py").write_text(USAGE)
    config = {
        "typeCheckingMode": "strict",
        "reportMissingTypeStubs": False,
        "venvPath": os.path.relpath(ROOT, tmp_path),
        "venv": ".venv",
    }
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config))
    pyright = Path(sys.executable).parent / "pyright"
    proc = subprocess.run(
        [str(pyright), "--outputjson", "usage.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(proc.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert [e["range"]["start"]["line"] + 1 for e in errors] == [13], errors


def test_a_schema_without_relations_imports_nothing_for_untyped_levels() -> None:
    params = load_fixture("edge")  # no relations
    params["generator"].setdefault("config", {})["recursive_type_depth"] = "2"
    ir = build_ir(params, package="client")
    assert ir == build_ir(load_fixture("edge"), package="client")
    assert "from collections.abc import Mapping" in _ir("2").types_imports
