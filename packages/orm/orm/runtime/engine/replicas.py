"""`ReplicaRouter`: picks the node a read runs on, watches replica health and lag, counts reads.

A monitor task (started by `Pools.open` when there are replicas) asks the primary for its WAL
position and each replica for how far it has replayed, every `check_interval` seconds, on the
pools' own connections (not reported to query listeners). Lag in seconds is measured from the
monitor's own samples: how long ago the primary was first seen past the replica's replay
position, so an idle primary never makes a caught-up replica look stale. A node that is not in
recovery (a copy of the primary used as a "replica") reports its WAL insert position.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg

from orm.runtime.routing import ReplicaPolicy, Route, current_route, format_lsn
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.engine.pool import Pools, _Datasource  # pyright: ignore[reportPrivateUsage]

__all__ = ["ReplicaRouter", "ReplicaState", "connection_lost"]

logger = logging.getLogger("orm.replicas")

_PRIMARY_LSN = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS lsn"
_REPLAY_LSN = (
    "SELECT pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
    "ELSE pg_current_wal_insert_lsn() END, '0/0')::bigint AS lsn"
)
_LOST = (
    OSError,
    asyncpg.InterfaceError,
    # A parked connection whose server died after its last statement: the FATAL message has
    # arrived (asyncpg's protocol is consuming an error) but the socket is not closed yet.
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def connection_lost(exc: BaseException, *, on_replica: bool) -> bool:
    """Whether a read failed because its node or connection went away (worth one retry).
    On a replica, a statement cancelled by a conflict with recovery counts too."""
    if isinstance(exc, _LOST):
        return True
    return on_replica and isinstance(exc, asyncpg.TransactionRollbackError)


@dataclass(slots=True)
class ReplicaState:
    name: str
    up: bool = True
    replay_lsn: int | None = None
    lag_bytes: int | None = None
    lag_seconds: float | None = None
    error: str | None = None
    checked_at: float | None = None

    def to_json(self) -> dict[str, JsonValue]:
        age = None if self.checked_at is None else time.monotonic() - self.checked_at
        return {
            "up": self.up,
            "replayLsn": None if self.replay_lsn is None else format_lsn(self.replay_lsn),
            "lagBytes": self.lag_bytes,
            "lagSeconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
            "checkedSecondsAgo": None if age is None else round(age, 3),
            "error": self.error,
        }


class ReplicaRouter:
    def __init__(self, pools: Pools, policy: ReplicaPolicy | None = None) -> None:
        self.pools = pools
        self.policy = policy or ReplicaPolicy.from_env()
        self.states = {replica.name: ReplicaState(replica.name) for replica in pools.replicas}
        self.reads = dict.fromkeys(["primary", *self.states], 0)
        self.fallbacks = 0  # replica reads the primary served: none qualified
        self.retries = 0  # reads retried on the primary after losing their connection
        self._cycle = itertools.cycle(pools.replicas)
        self._samples: deque[tuple[float, int]] = deque(maxlen=1200)
        self._task: asyncio.Task[None] | None = None
        self.clock: Callable[[], float] = time.monotonic

    # -- choosing
    def source(self, is_read: bool) -> _Datasource:
        primary = self.pools.primary
        if not is_read:
            return primary
        route = current_route()
        if route is not None and route.target is Route.PRIMARY:
            self.reads["primary"] += 1
            return primary
        min_lsn = None if route is None else route.min_lsn
        for _ in range(len(self.pools.replicas)):
            replica = next(self._cycle)
            if self._serves(self.states[replica.name], min_lsn):
                self.reads[replica.name] += 1
                return replica
        self.fallbacks += 1
        self.reads["primary"] += 1
        return primary

    def _serves(self, state: ReplicaState, min_lsn: int | None) -> bool:
        if not state.up:
            return False
        policy = self.policy
        if state.lag_bytes is not None and state.lag_bytes > policy.max_lag_bytes:
            return False
        if state.lag_seconds is not None and state.lag_seconds > policy.max_lag_seconds:
            return False
        if min_lsn is None:
            return True
        return state.replay_lsn is not None and state.replay_lsn >= min_lsn

    def failed(self, source: _Datasource, exc: BaseException) -> None:
        """A read lost its connection on `source`; it is retried once on the primary."""
        self.retries += 1
        self.reads["primary"] += 1
        state = self.states.get(source.name)
        if state is not None:
            state.up = False
            state.error = type(exc).__name__
            logger.warning("replica %s lost (%s): reads go elsewhere", source.name, state.error)

    # -- monitoring
    def start(self) -> None:
        if self._task is None and self.pools.replicas:
            self._task = asyncio.get_running_loop().create_task(self._monitor())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _monitor(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self.policy.check_interval)

    async def check(self) -> None:
        """One round: the primary's position, then every replica's (concurrently)."""
        try:
            primary_lsn = await self._lsn(self.pools.primary, _PRIMARY_LSN)
        except Exception:  # the primary is down: replicas keep their last state
            primary_lsn = None
        now = self.clock()
        if primary_lsn is not None:
            self._samples.append((now, primary_lsn))
        await asyncio.gather(*(self._check(r, primary_lsn, now) for r in self.pools.replicas))

    async def _check(self, replica: _Datasource, primary_lsn: int | None, now: float) -> None:
        state = self.states[replica.name]
        try:
            replay = await self._lsn(replica, _REPLAY_LSN)
        except Exception as exc:
            if state.up:
                logger.warning("replica %s is down: %r", replica.name, exc)
            state.up, state.error, state.checked_at = False, type(exc).__name__, now
            return
        if not state.up:
            logger.info("replica %s is back", replica.name)
        state.up, state.error, state.checked_at, state.replay_lsn = True, None, now, replay
        if primary_lsn is not None:
            state.lag_bytes = max(0, primary_lsn - replay)
            state.lag_seconds = self._lag_seconds(replay, now)

    def _lag_seconds(self, replay: int, now: float) -> float:
        for seen_at, lsn in self._samples:
            if lsn > replay:
                return now - seen_at
        return 0.0

    async def _lsn(self, source: _Datasource, sql: str) -> int:
        pools = self.pools
        async with asyncio.timeout(self.policy.check_timeout):
            conn = await pools.acquire(source, self.policy.check_timeout)
            try:
                rows = await conn.fetch(sql)
            except BaseException:
                await pools.release(source, conn)
                raise
            await pools.release(source, conn, clean=True)
        value = rows[0].items()
        return int(dict(value)["lsn"] or 0)

    # -- reporting
    def snapshot(self) -> dict[str, JsonValue]:
        total = sum(self.reads.values())
        nodes: dict[str, JsonValue] = {}
        for name, served in self.reads.items():
            node: dict[str, JsonValue] = {"reads": served}
            node["readShare"] = round(served / total, 4) if total else None
            if name in self.states:
                node.update(self.states[name].to_json())
            nodes[name] = node
        return {"nodes": nodes, "fallbacks": self.fallbacks, "retries": self.retries}
