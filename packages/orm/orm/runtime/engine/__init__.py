"""The engine: asyncpg pools, statement compilation and caching, executors, error translation."""

from __future__ import annotations

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
