"""Applying a plan: enum labels, concurrent index builds, then the one transaction.

The transaction locks every table its steps touch before it reads anything (strongest mode per
table, in name order), then re-reads the catalog and re-counts what the change would lose, so
the check and the change see the same data: a row written into a column about to be dropped
either committed before the lock (and is counted) or waits until the push is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from orm.push.db import Connection
from orm.push.errors import DataLossError, PushError
from orm.push.locking import Checkpoint, LockRetry, lock_tables
from orm.push.model import DbSchema
from orm.push.names import quote
from orm.push.plan import Phase, Plan, Step, TableLock
from orm.push.planning import build_plan, count_losses
from orm.push.report import refusal_message
from orm.push.scope import ObjectKey, managed_objects
from orm.push.state import write_state

__all__ = ["Applier", "MainOptions", "no_checkpoint", "uncovered"]


def uncovered(wanted: list[TableLock], held: list[TableLock]) -> list[TableLock]:
    """The locks of `wanted` that `held` doesn't already give (same table, mode as strong)."""
    have = dict(held)
    return [(t, m) for t, m in wanted if t not in have or have[t] < m]


def _rejected(error: asyncpg.PostgresError, *, what: str) -> PushError:
    detail = getattr(error, "detail", None)
    more = f" ({detail})" if detail else ""
    return PushError(f"{what}: {str(error).rstrip('.')}{more}.")


@dataclass(frozen=True)
class MainOptions:
    accept_data_loss: bool
    drop_unknown: bool
    owned: frozenset[ObjectKey] | None
    environment: str | None
    reset: list[str] = field(default_factory=list[str])
    reset_locks: list[TableLock] = field(default_factory=list[TableLock])


@dataclass
class Applier:
    conn: Connection
    schema: str
    retry: LockRetry
    checkpoint: Checkpoint
    executed: list[str] = field(default_factory=list[str])
    built: list[str] = field(default_factory=list[str])
    enum_values: list[str] = field(default_factory=list[str])

    async def add_enum_values(self, plan: Plan) -> None:
        steps = plan.phase(Phase.ENUM_VALUES)
        if not steps:
            return
        statements = [sql for step in steps for sql in step.sql]

        async def attempt() -> None:
            async with self.conn.transaction():
                for sql in statements:
                    await self.conn.execute(sql)

        try:
            await self.retry.run(attempt, what="Adding enum values")
        except asyncpg.PostgresError as error:
            raise _rejected(error, what="Adding enum values failed; nothing was changed") from error
        self.executed += statements
        self.enum_values += [step.summary for step in steps]
        await self.checkpoint("enum_values")

    async def build_concurrently(self, plan: Plan) -> None:
        for step in plan.phase(Phase.CONCURRENT):
            await self.checkpoint(f"index_building:{step.builds or ''}")
            await self._build(step)
            await self.checkpoint(f"index_built:{step.builds or ''}")

    async def _build(self, step: Step) -> None:
        tries = 0

        async def attempt() -> None:
            nonlocal tries
            if tries and step.builds:  # a build that timed out leaves an INVALID index
                await self.conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(step.builds)}")
            tries += 1
            for sql in step.sql:
                await self.conn.execute(sql)

        if step.builds:
            self.built.append(step.builds)
        try:
            await self.retry.run(attempt, what=f"Building {step.builds or 'an index'}")
        except asyncpg.PostgresError as error:
            raise _rejected(
                error,
                what=f"{step.summary[2:]} failed. Fix the cause (e.g. duplicate values for a "
                "unique index) and run db push again. The error",
            ) from error
        self.executed += step.sql

    async def apply_main(self, wanted: DbSchema, prior: Plan, options: MainOptions) -> Plan:
        """The transaction; returns the plan it applied (re-read under its locks)."""

        async def attempt() -> Plan:
            async with self.conn.transaction():
                return await self._main(wanted, prior, options)

        try:
            plan = await self.retry.run(attempt, what="Applying the schema change")
        except asyncpg.PostgresError as error:
            raise _rejected(
                error,
                what="The database rejected the change; the transaction was rolled back. Error",
            ) from error
        self.executed += options.reset + plan.statements
        await self.checkpoint("main_committed")
        return plan

    async def _main(self, wanted: DbSchema, prior: Plan, options: MainOptions) -> Plan:
        await lock_tables(self.conn, options.reset_locks)
        for sql in options.reset:
            await self.conn.execute(sql)
        held = prior.locks(Phase.MAIN)
        await lock_tables(self.conn, held)
        await self.checkpoint("main_locked")
        plan = await build_plan(
            self.conn,
            self.schema,
            wanted,
            empty=False,
            owned=None if options.reset else options.owned,
            drop_unknown=options.drop_unknown,
            concurrent=False,
        )
        await lock_tables(self.conn, uncovered(plan.locks(Phase.MAIN), held))
        losses = await count_losses(self.conn, plan.risks)
        if refusal := refusal_message(losses, accepted=options.accept_data_loss):
            raise DataLossError(refusal)
        for sql in plan.statements:
            await self.conn.execute(sql)
        owned = managed_objects(wanted)
        await write_state(self.conn, self.schema, owned=owned, environment=options.environment)
        await self.checkpoint("main_applied")
        return plan

    async def undo(self) -> str:
        """Drops what this push built concurrently; returns a sentence saying what happened."""
        dropped: list[str] = []
        for name in self.built:
            try:
                await self.conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(name)}")
                dropped.append(name)
            except asyncpg.PostgresError as error:
                return (
                    f"\nCould not drop index {name}, built by this push ({error}); "
                    "the next db push drops or reuses it."
                )
        note = ""
        if dropped:
            note = f"\nDropped again the indexes this push had built: {', '.join(dropped)}."
        if self.enum_values:
            note += (
                "\nEnum labels added before it stay (harmless; the next push needs none): "
                + "; ".join(s[2:] for s in self.enum_values)
            )
        return note


async def no_checkpoint(_name: str) -> None:
    """The default `Checkpoint`: carry on."""
