"""The query compiler: prisma-client-py's arguments → SQLAlchemy Core statements → results.

Everything runs through an `orm.runtime.executor.Executor`; nothing here opens connections.
"""

from __future__ import annotations
