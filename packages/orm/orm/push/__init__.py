"""`db push`: make a PostgreSQL schema match the Prisma schema without Prisma's engines.

`desired` maps the DMMF to tables, columns, keys and indexes named as Prisma names them;
`introspect` reads the catalog; `diff` plans the DDL; `runner` checks for data loss, applies the
plan under an advisory lock and runs the SQL folder (`sqlfiles`); `cli` is the command line.
"""

from __future__ import annotations

from orm.push.errors import DataLossError, PushError, SqlFileError
from orm.push.runner import PushOptions, PushResult, push
from orm.push.target import Target, parse_target

__all__ = [
    "DataLossError",
    "PushError",
    "PushOptions",
    "PushResult",
    "SqlFileError",
    "Target",
    "parse_target",
    "push",
]
