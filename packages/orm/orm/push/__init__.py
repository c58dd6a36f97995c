"""`db push`: make a PostgreSQL schema match the Prisma schema without Prisma's engines.

`desired` maps the DMMF to tables, columns, keys and indexes named as Prisma names them;
`introspect` reads the catalog; `diff` plans the DDL and the locks it needs; `runner` checks for
data loss and applies the plan in phases (`phases`: locks first, then the check and the change
in one transaction) under an advisory lock, with bounded lock waits (`locking`), then runs the
SQL folder (`sqlfiles`). `state` records what push manages and the production mark; `cli` is
the command line.
"""

from __future__ import annotations

from orm.push.errors import (
    DataLossError,
    LockWaitError,
    ProductionDatabaseError,
    PushError,
    SqlFileError,
)
from orm.push.locking import LockPolicy
from orm.push.runner import PushOptions, PushResult, push
from orm.push.target import Target, parse_target

__all__ = [
    "DataLossError",
    "LockPolicy",
    "LockWaitError",
    "ProductionDatabaseError",
    "PushError",
    "PushOptions",
    "PushResult",
    "SqlFileError",
    "Target",
    "parse_target",
    "push",
]
