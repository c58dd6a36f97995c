"""Runtime of the engine-free client: generated packages import from here, never the reverse.

The sync client's classes and the metrics models load when first named (a sync client's import
names the former), so an async client's import skips them, asyncio and the models' generic
validators; see `orm.runtime.modules` for what else loads late."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orm.runtime import errors
from orm.runtime.actions import BatchActions, ModelActions
from orm.runtime.client import (
    BaseClient,
    BatchBase,
    ClientCore,
    QueryEvent,
    TransactionManager,
    get_client,
    register,
)
from orm.runtime.extensions import NextCall, QueryHook, QueryParams
from orm.runtime.fields import Base64, Json
from orm.runtime.meta import SchemaMeta
from orm.runtime.models import BaseModel
from orm.runtime.modules import lazy_exports

if TYPE_CHECKING:
    from orm.runtime.metrics import Metric, MetricHistogram, Metrics
    from orm.runtime.sync import (
        SyncBatchBase,
        SyncClient,
        SyncModelActions,
        SyncTransactionManager,
    )

__all__ = [
    "Base64",
    "BaseClient",
    "BaseModel",
    "BatchActions",
    "BatchBase",
    "ClientCore",
    "Json",
    "Metric",
    "MetricHistogram",
    "Metrics",
    "ModelActions",
    "NextCall",
    "QueryEvent",
    "QueryHook",
    "QueryParams",
    "SchemaMeta",
    "SyncBatchBase",
    "SyncClient",
    "SyncModelActions",
    "SyncTransactionManager",
    "TransactionManager",
    "errors",
    "get_client",
    "register",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "Metric": "orm.runtime.metrics:Metric",
        "MetricHistogram": "orm.runtime.metrics:MetricHistogram",
        "Metrics": "orm.runtime.metrics:Metrics",
        "SyncBatchBase": "orm.runtime.sync:SyncBatchBase",
        "SyncClient": "orm.runtime.sync:SyncClient",
        "SyncModelActions": "orm.runtime.sync:SyncModelActions",
        "SyncTransactionManager": "orm.runtime.sync:SyncTransactionManager",
    },
)
