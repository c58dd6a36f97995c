"""`python -m orm db push ...` and `python -m orm db refresh-views ...`.

    DATABASE_URL='postgresql://app@localhost/app?schema=public' python -m orm db push
    python -m orm db push --from-client prisma     # no Node: the generated client's datamodel
    python -m orm db push --dry-run                # print the SQL and the locks, change nothing
    python -m orm db push --lock-timeout 5 --lock-retries 10
    python -m orm db refresh-views --concurrently

Database: the schema's datasource `directUrl`, else its `url` (`env("NAME")` or a literal), as
Prisma's push reads them; a schema naming neither uses DIRECT_URL (when set: past PgBouncer),
else DATABASE_URL. With --from-client, the names the client was generated with. DB_PUSH_LOCK_TIMEOUT
(seconds, default 2) and DB_PUSH_LOCK_RETRIES (default 5) for the lock waits;
ENVIRONMENT=production marks the schema as production.

Exit codes: 0 done (or already in sync), 1 refused or failed (the message says why), 2 usage.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

from orm.datasource import DatasourceError, DatasourceUrls, parse_datasource
from orm.push.dmmf import JsonValue
from orm.push.errors import PushError
from orm.push.locking import LockPolicy
from orm.push.production import OVERRIDE_FLAG
from orm.push.runner import PushOptions, push
from orm.push.target import connect, push_target
from orm.push.views import refresh_views

__all__ = ["load_datamodel", "load_datasource", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m orm db")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("push", help="make the database match the Prisma schema")
    run.add_argument(
        "--schema", type=Path, default=Path("schema.prisma"), help="default: ./schema.prisma"
    )
    run.add_argument(
        "--from-client",
        metavar="PACKAGE",
        help="read the datamodel from <PACKAGE>._schema (a generated client); needs no Node",
    )
    run.add_argument(
        "--accept-data-loss", action="store_true", help="apply changes that would lose data"
    )
    run.add_argument(
        "--force-reset", action="store_true", help="drop every object in the schema first"
    )
    run.add_argument("--dry-run", action="store_true", help="print the SQL, change nothing")
    run.add_argument(
        "--drop-unknown",
        action="store_true",
        help="also drop tables, columns, indexes, keys and enums db push did not create",
    )
    defaults = LockPolicy()
    run.add_argument(
        "--lock-timeout",
        type=float,
        metavar="SECONDS",
        default=_env_number("DB_PUSH_LOCK_TIMEOUT", defaults.timeout),
        help="how long one attempt waits for a table lock (env DB_PUSH_LOCK_TIMEOUT; default 2)",
    )
    run.add_argument(
        "--lock-retries",
        type=int,
        metavar="N",
        default=int(_env_number("DB_PUSH_LOCK_RETRIES", defaults.retries)),
        help="attempts after the first when a lock wait times out (env DB_PUSH_LOCK_RETRIES; "
        "default 5)",
    )
    run.add_argument(
        "--mark-production",
        action="store_true",
        help="mark the schema as production (as ENVIRONMENT=production does)",
    )
    run.add_argument(
        OVERRIDE_FLAG,
        dest="allow_production",
        action="store_true",
        help="let --force-reset drop a production schema's data",
    )
    run.add_argument(
        "--sql-dir",
        type=Path,
        metavar="DIR",
        help="SQL files to apply (default: sql/ next to the schema)",
    )
    views = commands.add_parser("refresh-views", help="refresh every materialized view")
    views.add_argument("--concurrently", action="store_true")
    views.add_argument(
        "--schema", type=Path, default=Path("schema.prisma"), help="default: ./schema.prisma"
    )
    return parser


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise PushError(f"{name} must be a number, not {value!r}") from None


def _warn_if_stale(schema: Path, generated_from: str | None, package: str) -> None:
    """A client generated from another version of the schema file pushes that other version."""
    if generated_from is None or not schema.is_file():
        return
    if hashlib.sha256(schema.read_bytes()).hexdigest() != generated_from:
        print(
            f"warning: {package} was generated from a different {schema}; pushing the client's "
            "datamodel. Run `python -m orm generate` to bring it up to date.",
            file=sys.stderr,
        )


def _client_schema(from_client: str) -> ModuleType:
    try:
        return importlib.import_module(f"{from_client}._schema")
    except ImportError as error:
        raise PushError(
            f"Cannot import {from_client}._schema ({error}). Generate the client first "
            "(`python -m orm generate`) or drop --from-client to read the schema file."
        ) from error


def load_datasource(schema: Path, from_client: str | None) -> DatasourceUrls:
    """The URLs the schema's datasource block names: from the generated client with
    `from_client` (one generated from a schema naming none has no `DATASOURCE`), else from the
    schema file (none when there is no file)."""
    if from_client:
        named = getattr(_client_schema(from_client), "DATASOURCE", None)
        return named if isinstance(named, DatasourceUrls) else DatasourceUrls()
    if not schema.is_file():
        return DatasourceUrls()
    try:
        return parse_datasource(schema.read_text())
    except DatasourceError as error:
        raise PushError(f"{schema}: {error}") from None


def load_datamodel(schema: Path, from_client: str | None) -> dict[str, JsonValue]:
    """The DMMF datamodel: from a generated client without Node, or via the Prisma CLI."""
    if from_client:
        module = _client_schema(from_client)
        _warn_if_stale(schema, getattr(module, "SCHEMA_SHA256", None), from_client)
        datamodel: dict[str, JsonValue] = module.DATAMODEL
        return datamodel
    from orm.prisma_cli import PrismaCliError, load_dmmf

    try:
        params = load_dmmf(schema)
    except PrismaCliError as error:
        raise PushError(
            f"{error}\nWithout Node, push from the generated client instead: "
            "python -m orm db push --from-client prisma"
        ) from error
    loaded: dict[str, JsonValue] = params["dmmf"]["datamodel"]
    return loaded


def _push(args: argparse.Namespace) -> int:
    schema: Path = args.schema
    target = push_target(load_datasource(schema, args.from_client))
    source = f"{args.from_client}._schema" if args.from_client else str(schema)
    options = PushOptions(
        accept_data_loss=args.accept_data_loss,
        force_reset=args.force_reset,
        dry_run=args.dry_run,
        sql_dir=args.sql_dir or schema.resolve().parent / "sql",
        source=source,
        drop_unknown=args.drop_unknown,
        lock=LockPolicy(timeout=args.lock_timeout, retries=args.lock_retries),
        environment=os.environ.get("ENVIRONMENT"),
        mark_production=args.mark_production,
        allow_production=args.allow_production,
    )
    datamodel = load_datamodel(schema, args.from_client)
    asyncio.run(push(datamodel, target, options))
    return 0


async def _refresh(args: argparse.Namespace) -> int:
    target = push_target(load_datasource(args.schema, None))
    conn = await connect(target)
    try:
        await refresh_views(conn, target.schema, concurrently=args.concurrently, out=print)
    finally:
        await conn.close()
    return 0


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "push":
            return _push(args)
        return asyncio.run(_refresh(args))
    except PushError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
