"""Waiting for locks without stalling the live application.

A DDL statement that waits for a table lock queues every later query on that table behind it,
so a push that waits 13 s for a long transaction stalls the API for 13 s. db push therefore
runs with `lock_timeout` (default 2 s): a lock it can't get in time makes the attempt fail
(its transaction rolls back, so queued queries go ahead), and it tries again after a growing,
jittered pause, a bounded number of times, as production migration tools do. If it still
can't get the lock, the error names the table and the sessions holding it.

`statement_timeout` is 0 for the push's session: an index build or a table rewrite that has
its locks should finish rather than be cancelled halfway by a role's default timeout.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import asyncpg

from orm.push.db import Connection
from orm.push.errors import LockWaitError
from orm.push.names import quote
from orm.push.plan import TableLock

__all__ = ["Checkpoint", "LockPolicy", "LockRetry", "TableLockTimeout", "lock_tables"]

T = TypeVar("T")
Checkpoint = Callable[[str], Awaitable[None]]
"""Awaited at named points of a push (`planned`, `main_locked`, ...); see `PushOptions`."""

LOCK_ERRORS = (asyncpg.LockNotAvailableError, asyncpg.DeadlockDetectedError)

_HOLDERS_SQL = """
SELECT a.pid, a.application_name, a.usename, a.state,
       extract(epoch FROM now() - a.xact_start)::int AS seconds,
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 100) AS query,
       string_agg(DISTINCT l.mode, ', ') AS modes
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.relation = to_regclass($1) AND l.granted AND l.pid <> pg_backend_pid()
GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY seconds DESC NULLS LAST LIMIT 5
"""
_OLD_TRANSACTIONS_SQL = """
SELECT a.pid, a.application_name, a.usename, a.state,
       extract(epoch FROM now() - a.xact_start)::int AS seconds,
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 100) AS query, '' AS modes
FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
  AND a.xact_start < now() - make_interval(secs => $1) AND a.backend_type = 'client backend'
ORDER BY a.xact_start LIMIT 5
"""


@dataclass(frozen=True)
class LockPolicy:
    """`timeout`: seconds one attempt waits for a lock. `retries`: further attempts. The pause
    before retry n is `delay * 2**n` seconds (at most `max_delay`), jittered down by up to half."""

    timeout: float = 2.0
    retries: int = 5
    delay: float = 1.0
    max_delay: float = 15.0

    @property
    def timeout_sql(self) -> str:
        return f"{max(1, round(self.timeout * 1000))}ms"

    def pause(self, attempt: int) -> float:
        return min(self.max_delay, self.delay * 2**attempt) * random.uniform(0.5, 1.0)


class TableLockTimeout(Exception):
    """LOCK TABLE `table` gave up (internal: the retry loop turns it into `LockWaitError`)."""

    def __init__(self, table: str, mode: str) -> None:
        super().__init__(f"{mode} lock on {table}")
        self.table = table
        self.mode = mode


async def lock_tables(conn: Connection, locks: list[TableLock]) -> None:
    """LOCK TABLE each of `locks` in order (inside the caller's transaction)."""
    for table, mode in locks:
        try:
            await conn.execute(f"LOCK TABLE {quote(table)} IN {mode.sql} MODE")
        except LOCK_ERRORS as error:
            raise TableLockTimeout(table, mode.sql) from error


def _describe(row: dict[str, object]) -> str:
    state = f"{row['state']}" + (f" for {row['seconds']}s" if row["seconds"] is not None else "")
    holds = f", holds {row['modes']}" if row["modes"] else ""
    return (
        f"pid {row['pid']} (application {row['application_name'] or '-'!r}, user "
        f"{row['usename']}, {state}{holds}; last query: {row['query']})"
    )


@dataclass
class LockRetry:
    """Runs an action, retrying it when it times out waiting for a lock."""

    conn: Connection
    schema: str
    policy: LockPolicy
    out: Callable[[str], None]
    checkpoint: Checkpoint

    async def blockers(self, table: str | None) -> list[str]:
        if table is not None:
            rows = await self.conn.fetch(_HOLDERS_SQL, f"{quote(self.schema)}.{quote(table)}")
        else:
            rows = await self.conn.fetch(_OLD_TRANSACTIONS_SQL, self.policy.timeout)
        keys = ("pid", "application_name", "usename", "state", "seconds", "query", "modes")
        return [_describe({k: row[k] for k in keys}) for row in rows]

    async def run(self, action: Callable[[], Awaitable[T]], *, what: str) -> T:
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            try:
                return await action()
            except (TableLockTimeout, *LOCK_ERRORS) as error:
                table = error.table if isinstance(error, TableLockTimeout) else None
                blockers = await self.blockers(table)
                if attempt + 1 == attempts:
                    raise self._give_up(what, table, blockers, error) from error
                pause = self.policy.pause(attempt)
                on = f"table {table}" if table else "older transactions"
                self.out(
                    f"  {what}: waited {self.policy.timeout:g}s for {on} "
                    f"({'; '.join(blockers) or 'holder gone'}); retrying in {pause:.1f}s "
                    f"(attempt {attempt + 2} of {attempts})"
                )
                await self.checkpoint(f"lock_retry:{attempt + 1}")
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    def _give_up(
        self, what: str, table: str | None, blockers: list[str], error: Exception
    ) -> LockWaitError:
        tries = self.policy.retries + 1
        waited = f"in {tries} attempt{'s' * (tries != 1)} of {self.policy.timeout:g}s each"
        if table is not None:
            assert isinstance(error, TableLockTimeout)
            head = f"{what}: could not take the {error.mode} lock on table {table} {waited}."
        else:
            head = f"{what}: gave up waiting for other transactions to finish ({error}), {waited}."
        held = "\n".join(f"  • {b}" for b in blockers) or "  (no session holds it any more)"
        return LockWaitError(
            f"{head}\nBlocking sessions:\n{held}\nWait for them to finish or end them "
            "(SELECT pg_terminate_backend(<pid>)), then run db push again; or allow longer "
            "waits with --lock-timeout / --lock-retries (DB_PUSH_LOCK_TIMEOUT, "
            "DB_PUSH_LOCK_RETRIES), knowing queries on the table queue behind each wait."
        )
