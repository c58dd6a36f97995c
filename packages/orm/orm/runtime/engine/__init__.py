"""The engine: asyncpg pools, statement compilation and caching, executors, error translation.

These names load on first use (`orm.runtime.modules.lazy_exports`), so importing a client, or
`orm.runtime.engine.observe` for its listener types, does not import asyncpg.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orm.runtime.modules import lazy_exports

if TYPE_CHECKING:
    from orm.runtime.engine.core import Engine, PoolExecutor
    from orm.runtime.engine.executors import BaseExecutor, RawRow
    from orm.runtime.engine.observe import Observer, QueryEvent, QueryListener
    from orm.runtime.engine.transaction import TransactionExecutor

__all__ = [
    "BaseExecutor",
    "Engine",
    "Observer",
    "PoolExecutor",
    "QueryEvent",
    "QueryListener",
    "RawRow",
    "TransactionExecutor",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "BaseExecutor": "orm.runtime.engine.executors:BaseExecutor",
        "Engine": "orm.runtime.engine.core:Engine",
        "Observer": "orm.runtime.engine.observe:Observer",
        "PoolExecutor": "orm.runtime.engine.core:PoolExecutor",
        "QueryEvent": "orm.runtime.engine.observe:QueryEvent",
        "QueryListener": "orm.runtime.engine.observe:QueryListener",
        "RawRow": "orm.runtime.engine.executors:RawRow",
        "TransactionExecutor": "orm.runtime.engine.transaction:TransactionExecutor",
    },
)
