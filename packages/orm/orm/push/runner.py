"""One `db push`: lock, read the catalog, plan, check for data loss, apply, run SQL files.

Everything happens on one connection holding a session-level advisory lock keyed on the target
schema, so two pushes to one schema run one after the other; the second finds nothing to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from orm.push.db import Connection
from orm.push.defaults import equal_by_value, normalise
from orm.push.desired import desired_schema
from orm.push.diff import plan_push
from orm.push.dmmf import JsonValue
from orm.push.errors import DataLossError, PushError
from orm.push.introspect import introspect
from orm.push.model import Column, DbSchema
from orm.push.names import quote
from orm.push.plan import Phase, Plan, Risk
from orm.push.report import print_dry_run, refusal_message, tally
from orm.push.reset import reset_statements
from orm.push.sqlfiles import SqlFile, apply_sql_files, pending_sql_files
from orm.push.target import Target, connect, lock_key

__all__ = ["PushOptions", "PushResult", "push"]

Output = Callable[[str], None]


@dataclass(frozen=True)
class PushOptions:
    accept_data_loss: bool = False
    force_reset: bool = False
    dry_run: bool = False
    sql_dir: Path | None = None
    source: str = "the Prisma schema"


@dataclass
class PushResult:
    plan: Plan
    executed: list[str] = field(default_factory=list[str])
    sql_files: list[SqlFile] = field(default_factory=list[SqlFile])

    @property
    def in_sync(self) -> bool:
        return not self.plan.steps


async def _populated(conn: Connection, tables: list[str]) -> set[str]:
    if not tables:
        return set()
    probes = ", ".join(
        f"({i}, EXISTS (SELECT 1 FROM {quote(name)}))" for i, name in enumerate(tables)
    )
    rows = await conn.fetch(f"SELECT i FROM (VALUES {probes}) AS p(i, has_rows) WHERE has_rows")
    return {tables[r["i"]] for r in rows}


async def _equal_defaults(
    conn: Connection, wanted: DbSchema, actual: DbSchema
) -> set[tuple[str, str]]:
    """(table, column) pairs whose defaults differ as text but are the same value."""
    same: set[tuple[str, str]] = set()
    for name, table in wanted.tables.items():
        found_table = actual.tables.get(name)
        if found_table is None:
            continue
        for column in table.columns:
            found = found_table.column(column.name)
            if found is None or column.default is None or found.default is None:
                continue
            if normalise(column.default) == normalise(found.default):
                continue
            if await equal_by_value(conn, column.default, found.default, sql_type=found.type.sql):
                same.add((name, column.name))
    return same


async def build_plan(conn: Connection, schema: str, wanted: DbSchema, *, empty: bool) -> Plan:
    actual = DbSchema() if empty else await introspect(conn, schema)
    populated = await _populated(conn, [t for t in actual.tables if t in wanted.tables])
    equal = await _equal_defaults(conn, wanted, actual)

    def same_default(table: str, want: Column, found: Column) -> bool:
        assert want.default is not None
        assert found.default is not None
        return normalise(want.default) == normalise(found.default) or (table, want.name) in equal

    return plan_push(wanted, actual, populated=populated, same_default=same_default)


async def _losses(conn: Connection, risks: list[Risk]) -> list[tuple[Risk, int]]:
    found: list[tuple[Risk, int]] = []
    for risk in risks:
        count = int(await conn.fetchval(risk.count_sql))
        if count:
            found.append((risk, count))
    return found


async def _lock(conn: Connection, target: Target, out: Output) -> None:
    key = lock_key(target.schema)
    if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", key):
        out(f"Another db push to {target.display} is running; waiting for it to finish...")
        await conn.execute("SELECT pg_advisory_lock($1)", key)


async def _ensure_schema(conn: Connection, target: Target, result: PushResult) -> bool:
    """Creates the schema if missing; returns whether it was created."""
    if await conn.fetchval("SELECT 1 FROM pg_namespace WHERE nspname = $1", target.schema):
        return False
    sql = f"CREATE SCHEMA {quote(target.schema)}"
    await conn.execute(sql)
    result.executed.append(sql)
    return True


async def _run_steps(conn: Connection, plan: Plan, phase: Phase, *, result: PushResult) -> None:
    steps = plan.phase(phase)
    if not steps:
        return
    if phase == Phase.CONCURRENT:
        for step in steps:
            for sql in step.sql:
                try:
                    await conn.execute(sql)
                except asyncpg.PostgresError as error:
                    raise PushError(
                        f"Building an index failed: {error}\n  {sql}\nThe schema changes before "
                        "it are committed; the index is left INVALID. Fix the cause (e.g. "
                        "duplicate values for a unique index) and run db push again: it drops "
                        "and rebuilds invalid indexes."
                    ) from error
                result.executed.append(sql)
        return
    try:
        async with conn.transaction():
            for step in steps:
                for sql in step.sql:
                    await conn.execute(sql)
    except asyncpg.PostgresError as error:
        raise PushError(
            f"The database rejected the change: {str(error).rstrip('.')}. The transaction was "
            "rolled back; nothing was changed."
        ) from error
    result.executed += [sql for step in steps for sql in step.sql]


async def _reset(
    conn: Connection, target: Target, options: PushOptions, *, out: Output
) -> list[str]:
    drops = await reset_statements(conn, target.schema)
    if options.dry_run:
        return drops
    async with conn.transaction():
        for sql in drops:
            await conn.execute(sql)
    out(f"Reset {target.display}: dropped {len(drops)} objects.")
    return drops


async def _sql_files(
    conn: Connection, target: Target, files: list[SqlFile], *, out: Output
) -> None:
    if not files:
        return
    todo = [f for f in files if f.status != "unchanged"]
    await apply_sql_files(conn, target.schema, files)
    ran = ", ".join(f"{f.path.name} ({f.status})" for f in todo)
    folder = files[0].path.parent
    out(
        f"SQL files in {folder}: {len(todo)} applied{': ' + ran if ran else ''}; "
        f"{len(files) - len(todo)} unchanged."
    )


@dataclass
class _Prepared:
    result: PushResult
    losses: list[tuple[Risk, int]]
    reset: list[str]


async def _prepare(
    conn: Connection, wanted: DbSchema, target: Target, *, options: PushOptions, out: Output
) -> _Prepared:
    """Resets (unless dry), plans, counts what the plan would lose, lists the SQL files."""
    result = PushResult(Plan())
    exists = bool(
        await conn.fetchval("SELECT 1 FROM pg_namespace WHERE nspname = $1", target.schema)
    )
    reset = await _reset(conn, target, options, out=out) if options.force_reset and exists else []
    if options.dry_run and not exists:
        reset = [f"CREATE SCHEMA {quote(target.schema)}"]
    elif not options.dry_run:
        result.executed += reset
        if await _ensure_schema(conn, target, result):
            out(f'Created schema "{target.schema}".')
    empty = not exists or (options.force_reset and options.dry_run)
    result.plan = await build_plan(conn, target.schema, wanted, empty=empty)
    losses = [] if empty else await _losses(conn, result.plan.risks)
    files = await pending_sql_files(conn, target.schema, options.sql_dir)
    if empty:  # after a reset every file runs again
        files = [SqlFile(f.path, f.checksum, "new") for f in files]
    result.sql_files = files
    return _Prepared(result, losses, reset)


async def _push_locked(
    conn: Connection, wanted: DbSchema, target: Target, *, options: PushOptions, out: Output
) -> PushResult:
    started = time.perf_counter()
    out(f"Pushing {options.source} to {target.display}")
    prepared = await _prepare(conn, wanted, target, options=options, out=out)
    result, plan = prepared.result, prepared.result.plan
    if options.dry_run:
        print_dry_run(plan, prepared.losses, result.sql_files, out=out, reset=prepared.reset)
        return result
    refusal = refusal_message(prepared.losses, accepted=options.accept_data_loss)
    if refusal:
        raise DataLossError(refusal)
    if not plan.steps:
        out(f"The database is already in sync with {options.source}. No schema changes.")
    else:
        out(f"Applying {len(plan.steps)} changes:")
        for step in plan.ordered():
            out(f"  {step.summary}")
        for phase in Phase:
            await _run_steps(conn, plan, phase, result=result)
        took = time.perf_counter() - started
        out(
            f"Applied {len(plan.steps)} changes ({tally(plan.steps)}; "
            f"{len(plan.statements)} statements) in {took:.2f}s."
        )
    await _sql_files(conn, target, result.sql_files, out=out)
    out(f"Done in {time.perf_counter() - started:.2f}s.")
    return result


async def push(
    datamodel: dict[str, JsonValue], target: Target, options: PushOptions, *, out: Output = print
) -> PushResult:
    """Make `target` match the DMMF `datamodel`, then run the SQL folder. Raises PushError."""
    wanted = desired_schema(datamodel)
    conn = await connect(target)
    try:
        await _lock(conn, target, out)
        return await _push_locked(conn, wanted, target, options=options, out=out)
    finally:
        await conn.close()  # also releases the advisory lock
