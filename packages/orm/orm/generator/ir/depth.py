"""`recursive_type_depth`: how many relation levels the query input types are typed for.

prisma-client-py's generator option (`generator client { recursive_type_depth = 5 }`, its
default 5; -1 = unlimited; 0, 1 and below -1 refused). Relations make the where, order, include
and select inputs recursive (`UserWhereInput` -> `PostRelationFilter` -> `PostWhereInput` ->
...), and in a connected schema a type checker that meets one of them builds them all
(prisma-client-py issue #1040). With a depth N, the level-0 types keep their names and each
relation hop goes one level down, to a copy named `<Type>Recursive<level>`; a hop past level
N - 1 takes any dict (`Mapping[str, Any]`), as prisma-client-py's untyped relation filters do.
A type's references to itself (`AND`/`OR`/`NOT`) stay on its level: they reach no other model.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from orm.generator.errors import GeneratorInputError
from orm.generator.ir.nodes import AliasDef, DictKey, ModelIR, TypedDictDef, TypeDef

__all__ = ["DEFAULT_DEPTH", "UNTYPED", "limit_depth", "recursive_type_depth", "uses_untyped"]

DEFAULT_DEPTH = -1
UNTYPED = "Mapping[str, Any]"
"""What a relation input past the last typed level takes."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def recursive_type_depth(config: Mapping[str, str | list[str]]) -> int:
    """The option's value from the generator block (the CLI passes it as a string)."""
    value = config.get("recursive_type_depth", str(DEFAULT_DEPTH))
    if isinstance(value, str):
        try:
            depth = int(value.strip())
        except ValueError:
            depth = None
        if depth is not None and (depth == -1 or depth > 1):
            return depth
    raise GeneratorInputError(
        f"generator `recursive_type_depth = {value!r}` is not valid: it must be -1 (unlimited) "
        f"or an integer greater than 1 (default {DEFAULT_DEPTH})."
    )


def _references(t: TypeDef) -> Iterable[str]:
    texts = [t.target] if isinstance(t, AliasDef) else [k.type for k in t.keys]
    for text in texts:
        yield from _NAME.findall(text)


def _recursive(family: Mapping[str, TypeDef]) -> frozenset[str]:
    """The family's types that lead into a cycle of relations (a model's own `AND` does not
    count): only these need a copy per level. The rest (the inputs of a model without
    relations, say) are left as they are."""
    refs = {
        name: {r for r in _references(t) if r != name and r in family} for name, t in family.items()
    }
    left = set(family)
    pruned = True
    while pruned:
        dead = {name for name in left if not refs[name] & left}
        left -= dead
        pruned = bool(dead)
    return frozenset(left)


def _level_name(name: str, level: int) -> str:
    return name if level == 0 else f"{name}Recursive{level}"


def _at_level(
    t: TypeDef, level: int, depth: int, recursive: frozenset[str], roots: frozenset[str]
) -> TypeDef:
    def rename(match: re.Match[str]) -> str:
        ref = match.group(0)
        if ref not in recursive:
            return ref
        if ref == t.name:
            return _level_name(ref, level)
        target = level + 1 if ref in roots else level
        return UNTYPED if target >= depth else _level_name(ref, target)

    name = _level_name(t.name, level)
    if isinstance(t, AliasDef):
        return AliasDef(name, _NAME.sub(rename, t.target))
    keys = tuple(DictKey(k.key, _NAME.sub(rename, k.type), k.required) for k in t.keys)
    return TypedDictDef(
        name=name,
        keys=keys,
        total=t.total,
        doc=t.doc if level == 0 else "",
        base=t.base,
        functional=t.functional,
    )


def limit_depth(
    models: tuple[ModelIR, ...], depth: int, family: Iterable[str], roots: Iterable[str]
) -> tuple[ModelIR, ...]:
    """`models` with the recursive `family` types (named in `family`; `roots` are the ones a
    relation hop enters) typed for `depth` levels; unchanged for -1."""
    if depth == -1:
        return models
    members = frozenset(family)
    root_names = frozenset(roots)
    types = {t.name: t for m in models for t in m.types if t.name in members}
    recursive = _recursive(types)
    out: list[ModelIR] = []
    for model in models:
        own = [
            _at_level(t, 0, depth, recursive, root_names) if t.name in recursive else t
            for t in model.types
        ]
        for level in range(1, depth):
            own += [
                _at_level(t, level, depth, recursive, root_names)
                for t in model.types
                if t.name in recursive
            ]
        out.append(dataclasses.replace(model, types=tuple(own)))
    return tuple(out)


def uses_untyped(models: Iterable[ModelIR]) -> bool:
    """Whether `types.py` needs `Mapping` and `Any` (a schema without relations never does)."""
    return any(
        UNTYPED in (t.target if isinstance(t, AliasDef) else " ".join(k.type for k in t.keys))
        for m in models
        for t in m.types
    )
