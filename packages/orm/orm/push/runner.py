"""One `db push`: plan, refuse what would lose data, apply in phases, run the SQL files.

Everything happens on one connection holding a session-level advisory lock keyed on the target
schema, so two pushes to one schema run one after the other; the second finds nothing to do.
The plan is made and checked without locks (a refusal changes nothing); enum labels are added
and indexes built concurrently; then one transaction locks the tables it changes, checks again
and applies the rest (`orm.push.phases`). A push that fails drops the indexes it built; one
that is killed leaves a schema the next push converges from.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from orm.push.db import Connection
from orm.push.desired import desired_schema
from orm.push.dmmf import JsonValue
from orm.push.errors import DataLossError, PushError
from orm.push.introspect import BOOKKEEPING_TABLES
from orm.push.locking import Checkpoint, LockPolicy, LockRetry
from orm.push.model import DbSchema
from orm.push.names import quote
from orm.push.phases import Applier, MainOptions, no_checkpoint
from orm.push.plan import Lock, Phase, Plan, Risk
from orm.push.planning import build_plan, count_losses
from orm.push.production import OVERRIDE_FLAG, guard_reset, production_reason
from orm.push.report import print_dry_run, print_plan, refusal_message, tally
from orm.push.reset import reset_statements, reset_tables
from orm.push.scope import ObjectKey, managed_objects
from orm.push.sqlfiles import SqlFile, apply_sql_files, pending_sql_files
from orm.push.state import PRODUCTION, read_environment, read_owned, state_is_current
from orm.push.target import Target, connect, lock_key

__all__ = ["PushOptions", "PushResult", "push"]

Output = Callable[[str], None]


@dataclass(frozen=True)
class PushOptions:
    """How to push. `environment` is the deployment's ENVIRONMENT (`production` marks the
    schema as production); `allow_production` is `--i-know-this-is-production`. `checkpoint`
    is awaited at named points (`planned`, `enum_values`, `index_building:<name>`,
    `index_built:<name>`, `main_locked`, `main_applied`, `main_committed`, `lock_retry:<n>`,
    `sql_file:<name>`), so tests can race or kill a push at a known step."""

    accept_data_loss: bool = False
    force_reset: bool = False
    dry_run: bool = False
    sql_dir: Path | None = None
    source: str = "the Prisma schema"
    drop_unknown: bool = False
    lock: LockPolicy = field(default_factory=LockPolicy)
    environment: str | None = None
    mark_production: bool = False
    allow_production: bool = False
    checkpoint: Checkpoint | None = None


@dataclass
class PushResult:
    plan: Plan
    executed: list[str] = field(default_factory=list[str])
    sql_files: list[SqlFile] = field(default_factory=list[SqlFile])

    @property
    def in_sync(self) -> bool:
        return not self.plan.steps


async def _lock(conn: Connection, target: Target, out: Output) -> None:
    """Waits (without a lock timeout: nothing queues behind it) for any other push."""
    key = lock_key(target.schema)
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", key):
        out(f"Another db push to {target.display} is running; waiting for it to finish...")
        await conn.execute("SELECT pg_advisory_lock($1)", key)


async def _session(conn: Connection, policy: LockPolicy) -> None:
    await conn.execute(f"SET lock_timeout = '{policy.timeout_sql}'")
    if int(str(await conn.fetchval("SELECT current_setting('server_version_num')"))) >= 140000:
        # A killed push's server session stops at once instead of finishing its statement.
        await conn.execute("SET client_connection_check_interval = '1s'")


@dataclass
class _Prepared:
    """What `_Run.prepare` found out: the plan and its losses, a reset's statements and the
    tables they drop, what earlier pushes recorded, the production mark, the SQL files."""

    plan: Plan
    exists: bool
    losses: list[tuple[Risk, int]] = field(default_factory=list[tuple[Risk, int]])
    drops: list[str] = field(default_factory=list[str])
    dropped_tables: list[str] = field(default_factory=list[str])
    owned: frozenset[ObjectKey] | None = None
    marked: str | None = None
    environment: str | None = None
    files: list[SqlFile] = field(default_factory=list[SqlFile])


@dataclass
class _Run:
    """One push in progress: the connection, where it goes, and what it was asked to do."""

    conn: Connection
    target: Target
    options: PushOptions
    out: Output

    @property
    def schema(self) -> str:
        return self.target.schema

    async def reset(self, production: str | None) -> tuple[list[str], list[str]]:
        """The DROP statements of `--force-reset` and the tables they drop (checked first)."""
        drops = await reset_statements(self.conn, self.schema)
        tables = await reset_tables(self.conn, self.schema)
        if self.options.dry_run and production:
            self.out(
                f"-- {self.target.display} is production ({production}): --force-reset is "
                f"refused without {OVERRIDE_FLAG}"
            )
            return drops, tables
        await guard_reset(
            self.conn,
            self.target.display,
            tables=[t for t in tables if t not in BOOKKEEPING_TABLES],
            objects=len(drops),
            reason=production,
            allow=self.options.allow_production,
            out=self.out,
        )
        return drops, tables

    async def sql_files(self, files: list[SqlFile], retry: LockRetry) -> None:
        if not files:
            return
        todo = [f for f in files if f.status != "unchanged"]
        await apply_sql_files(self.conn, self.schema, files, retry=retry)
        ran = ", ".join(f"{f.path.name} ({f.status})" for f in todo)
        self.out(
            f"SQL files in {files[0].path.parent}: {len(todo)} applied{': ' + ran if ran else ''}"
            f"; {len(files) - len(todo)} unchanged."
        )

    async def prepare(self, wanted: DbSchema) -> _Prepared:
        """Everything before the first change: the production check, a reset's statements,
        the plan and what it would lose, the SQL files to run. Creates a missing schema."""
        conn, options = self.conn, self.options
        exists = bool(
            await conn.fetchval("SELECT 1 FROM pg_namespace WHERE nspname = $1", self.schema)
        )
        prepared = _Prepared(Plan(), exists=exists)
        prepared.marked = await read_environment(conn, self.schema) if exists else None
        production = production_reason(prepared.marked, options.environment)
        if production or options.mark_production:
            prepared.environment = PRODUCTION
        if options.force_reset and exists:
            prepared.drops, prepared.dropped_tables = await self.reset(production)
            if not options.dry_run:
                self.out(
                    f"Reset {self.target.display}: dropping its {len(prepared.drops)} objects."
                )
        if not exists and not options.dry_run:
            await conn.execute(f"CREATE SCHEMA {quote(self.schema)}")
            self.out(f'Created schema "{self.schema}".')
        empty = not exists or options.force_reset
        prepared.owned = None if empty else await read_owned(conn, self.schema)
        prepared.plan = await build_plan(
            conn,
            self.schema,
            wanted,
            empty=empty,
            owned=prepared.owned,
            drop_unknown=options.drop_unknown,
            concurrent=True,
        )
        prepared.losses = [] if empty else await count_losses(conn, prepared.plan.risks)
        files = await pending_sql_files(conn, self.schema, options.sql_dir)
        if empty:  # after a reset every file runs again
            files = [SqlFile(f.path, f.checksum, "new") for f in files]
        prepared.files = files
        return prepared

    async def main(self, wanted: DbSchema) -> PushResult:
        started = time.perf_counter()
        options, out = self.options, self.out
        out(f"Pushing {options.source} to {self.target.display}")
        prepared = await self.prepare(wanted)
        plan = prepared.plan
        result = PushResult(plan, sql_files=prepared.files)
        if options.dry_run:
            shown = prepared.drops or (
                [] if prepared.exists else [f"CREATE SCHEMA {quote(self.schema)}"]
            )
            print_dry_run(plan, prepared.losses, prepared.files, out=out, reset=shown)
            return result
        if refusal := refusal_message(prepared.losses, accepted=options.accept_data_loss):
            raise DataLossError(refusal)
        checkpoint = options.checkpoint or no_checkpoint
        await checkpoint("planned")
        retry = LockRetry(self.conn, self.schema, options.lock, out, checkpoint)
        print_plan(plan, out=out, source=options.source)
        current = await state_is_current(
            self.conn,
            self.schema,
            owned=managed_objects(wanted),
            environment=prepared.environment,
        )
        if plan.steps or prepared.drops or not current:
            result.executed = await self.apply(wanted, prepared, retry)
            if plan.steps:
                out(
                    f"Applied {len(plan.steps)} changes ({tally(plan.steps)}; "
                    f"{len(result.executed)} statements) in {time.perf_counter() - started:.2f}s."
                )
            if prepared.environment and prepared.marked != PRODUCTION:
                out(f"Marked {self.target.display} as production (table _orm_push_state).")
        await self.sql_files(prepared.files, retry)
        out(f"Done in {time.perf_counter() - started:.2f}s.")
        return result

    async def apply(self, wanted: DbSchema, prepared: _Prepared, retry: LockRetry) -> list[str]:
        plan = prepared.plan
        main = MainOptions(
            accept_data_loss=self.options.accept_data_loss,
            drop_unknown=self.options.drop_unknown,
            owned=prepared.owned,
            environment=prepared.environment,
            reset=prepared.drops,
            reset_locks=[(t, Lock.ACCESS_EXCLUSIVE) for t in prepared.dropped_tables],
        )
        applier = Applier(self.conn, self.schema, retry, retry.checkpoint)
        await applier.add_enum_values(plan)
        try:
            await applier.build_concurrently(plan)
            applied = await applier.apply_main(wanted, plan, main)
        except PushError as error:
            raise type(error)(f"{error}{await applier.undo()}") from error
        expected = [s.summary for s in plan.phase(Phase.MAIN)]
        if [s.summary for s in applied.ordered()] != expected:
            self.out("The database changed while db push waited for its locks; applied instead:")
            for step in applied.ordered():
                self.out(f"  {step.summary}")
        return applier.executed


async def push(
    datamodel: dict[str, JsonValue], target: Target, options: PushOptions, *, out: Output = print
) -> PushResult:
    """Make `target` match the DMMF `datamodel`, then run the SQL folder. Raises PushError."""
    wanted = desired_schema(datamodel)
    # Catalog queries are small: JIT compilation or parallel workers only add start-up time,
    # some of it while the push holds its table locks.
    settings = {"statement_timeout": "0", "jit": "off", "max_parallel_workers_per_gather": "0"}
    conn = await connect(target, settings=settings)
    try:
        await _lock(conn, target, out)
        await _session(conn, options.lock)
        return await _Run(conn, target, options, out).main(wanted)
    finally:
        await conn.close()  # also releases the advisory lock
