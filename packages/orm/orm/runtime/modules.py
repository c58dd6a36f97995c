"""Imports left until first use, so `import prisma` stays cheap on a big schema.

Importing a generated client loads the models, the client classes and `SchemaMeta`; the query
compiler (`orm.runtime.query`, built on SQLAlchemy) and the engine (`orm.runtime.engine`, on
asyncpg) load with `connect()` and the first queries, SQLAlchemy's tables with the first query
(`SchemaMeta`), the metrics models when metrics are asked for, the sync client's classes with a
sync client. Modules that name those at run time get them through `defer` (names inside a
module) or `lazy_exports` (a package's re-exports), and import them under `TYPE_CHECKING` for
the type checker as usual. `tests/orm/test_client_imports.py` keeps it so.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from types import ModuleType
from typing import Any

__all__ = ["defer", "lazy_exports", "lazy_submodules"]


def _resolve(target: str) -> Any:
    """`"package.module"` is that module, `"package.module:name"` a name in it."""
    module, _, name = target.partition(":")
    found = importlib.import_module(module)
    return getattr(found, name) if name else found


class _Deferred:
    """Stands in for a name until it is first called, has an attribute read or is used in
    `isinstance`: then imports its target, rebinds the name to it (later uses cost nothing
    extra) and forwards."""

    __slots__ = ("_name", "_namespace", "_target")

    def __init__(self, namespace: MutableMapping[str, Any], name: str, target: str) -> None:
        self._namespace = namespace
        self._name = name
        self._target = target

    def _load(self) -> Any:
        value = _resolve(self._target)
        self._namespace[self._name] = value
        return value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._load()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._load(), name)

    def __instancecheck__(self, instance: object) -> bool:
        return isinstance(instance, self._load())

    def __repr__(self) -> str:
        return f"<deferred import of {self._target}>"


def defer(namespace: MutableMapping[str, Any], targets: Mapping[str, str]) -> None:
    """Bind each name of `targets` in `namespace` (a module's `globals()`) to a stand-in for its
    target (`"module"` or `"module:name"`), imported on first use. Only for names a module calls,
    reads attributes of or checks instances against (`ops.create(...)`, `read_unique(...)`,
    `isinstance(x, TransactionExecutor)`), never for a base class; import them under
    `TYPE_CHECKING` too, so the type checker sees the real ones:

        if TYPE_CHECKING:
            from orm.runtime.query.write import ops
        else:
            defer(globals(), {"ops": "orm.runtime.query.write.ops"})
    """
    for name, target in targets.items():
        namespace[name] = _Deferred(namespace, name, target)


def lazy_exports(package: str, targets: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` (PEP 562) re-exporting `targets` (name → `"module:name"`) from
    `package`, each imported when first asked for and then kept as a plain attribute."""

    def __getattr__(name: str) -> Any:
        target = targets.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = _resolve(target)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def lazy_submodules(package: str, names: Iterable[str]) -> Callable[[str], ModuleType]:
    """A module `__getattr__` (PEP 562) for `package`: `prisma.bases` after a plain
    `import prisma` imports `prisma.bases`, as prisma-client-py's eager imports allow, without
    making every `import prisma` pay for modules most programs never touch. Clients generated
    now use `lazy_exports` (which takes modules too); this stays for those generated before."""
    known = frozenset(names)

    def __getattr__(name: str) -> ModuleType:
        if name in known:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
