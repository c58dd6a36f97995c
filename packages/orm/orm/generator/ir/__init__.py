"""Intermediate representation of a generated client (see `nodes.py`), built by `build_ir`."""

from __future__ import annotations

from orm.generator.ir.build import build_ir
from orm.generator.ir.names import header_line
from orm.generator.ir.nodes import (
    AliasDef,
    ClientIR,
    DictKey,
    EnumIR,
    EnumMemberIR,
    ModelFieldIR,
    ModelIR,
    TypedDictDef,
    TypeDef,
)

__all__ = [
    "AliasDef",
    "ClientIR",
    "DictKey",
    "EnumIR",
    "EnumMemberIR",
    "ModelFieldIR",
    "ModelIR",
    "TypeDef",
    "TypedDictDef",
    "build_ir",
    "header_line",
]
