"""Submodules of a generated package that `import prisma` leaves unloaded until first used."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType

__all__ = ["lazy_submodules"]


def lazy_submodules(package: str, names: Iterable[str]) -> Callable[[str], ModuleType]:
    """A module `__getattr__` (PEP 562) for `package`: `prisma.bases` after a plain
    `import prisma` imports `prisma.bases`, as prisma-client-py's eager imports allow, without
    making every `import prisma` pay for modules most programs never touch."""
    known = frozenset(names)

    def __getattr__(name: str) -> ModuleType:
        if name in known:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
