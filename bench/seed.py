"""Seed benchmark: `db push` a scratch database, seed it, print time, rows/s and sizes.

    .venv/bin/python bench/seed.py                      # medium scale (the goal: under 3 min)
    .venv/bin/python bench/seed.py --scale small --keep-indexes
    .venv/bin/python bench/seed.py --fraction 0.1       # a tenth of medium, to compare options

The scratch database (`seed_bench_<pid>`) is created next to the one in BENCH_DATABASE_URL
(default TEST_DATABASE_URL, else the local `test` database) and dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orm.push.cli import load_datamodel  # noqa: E402
from orm.push.runner import PushOptions, push  # noqa: E402
from orm.push.target import parse_target  # noqa: E402
from seed import SeedReport, seed_database  # noqa: E402
from seed.config import SCALES  # noqa: E402
from seed.pg import Connection, connect  # noqa: E402
from tests.seed.queries import QUERIES, sample_params  # noqa: E402

JsonValue = Any

BASE_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)
_SIZES = """
SELECT c.relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid)
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'm')
ORDER BY 2 DESC
"""


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}", query=""))


def _mb(size: object) -> str:
    return f"{int(str(size)) / 2**20:,.0f} MB"


async def _print_sizes(conn: Connection) -> None:
    total = await conn.fetchval("SELECT pg_database_size(current_database())")
    print(f"\nDatabase size: {_mb(total)}")
    print(f"{'relation':<24}{'total':>10}{'indexes':>10}")
    for row in await conn.fetch(_SIZES):
        print(f"{row[0]!s:<24}{_mb(row[1]):>10}{_mb(row[2]):>10}")


def _scans(plan: JsonValue) -> list[str]:
    """`Node Type on relation (index)` for every node that reads a relation."""
    if isinstance(plan, list):
        return [scan for item in cast("list[JsonValue]", plan) for scan in _scans(item)]
    if not isinstance(plan, dict):
        return []
    node = cast("dict[str, JsonValue]", plan)
    found: list[str] = []
    if "Relation Name" in node:
        index = f" ({node['Index Name']})" if "Index Name" in node else ""
        found.append(f"{node['Node Type']} on {node['Relation Name']}{index}")
    for value in node.values():
        found.extend(_scans(value))
    return found


async def _explain(conn: Connection, report: SeedReport) -> None:
    """Run every document query once with EXPLAIN ANALYZE: time and how each table is read."""
    params = await sample_params(conn, report.anchor)
    print(f"\n{'query':<28}{'ms':>9}  scans")
    for name, (sql, keys) in QUERIES.items():
        args = [params[k] for k in keys]
        raw = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", *args)
        plan: JsonValue = json.loads(str(raw))
        ms = float(plan[0]["Execution Time"])
        print(f"{name:<28}{ms:>9.2f}  {'; '.join(dict.fromkeys(_scans(plan)))}")


async def _seed(url: str, args: argparse.Namespace) -> SeedReport:
    datamodel = load_datamodel(ROOT / "schema.prisma", "prisma")
    options = PushOptions(sql_dir=ROOT / "sql", source="prisma._schema")
    await push(datamodel, parse_target(url), options, out=lambda _line: None)
    counts = {k: max(1, int(v * args.fraction)) for k, v in asdict(SCALES[args.scale]).items()}
    return await seed_database(
        url, scale=args.scale, counts=counts, drop_indexes=not args.keep_indexes, progress=True
    )


async def main(args: argparse.Namespace) -> None:
    name = f"seed_bench_{os.getpid()}"
    admin = await connect(BASE_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(BASE_URL, name)
    try:
        report = await _seed(url, args)
        print(report.summary())
        print(f"\nOverall: {report.rows / report.total_seconds:,.0f} rows/s")
        conn = await connect(url)
        try:
            await _print_sizes(conn)
            if args.explain:
                await _explain(conn, report)
        finally:
            await conn.close()
    finally:
        if args.keep:
            print(f"\nKept database {name}: {url}")
        else:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--scale", choices=list(SCALES), default="medium")
    parser.add_argument("--fraction", type=float, default=1.0, help="scale every count by this")
    parser.add_argument("--keep-indexes", action="store_true", help="load with indexes in place")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--explain", action="store_true", help="time the documents' queries")
    asyncio.run(main(parser.parse_args()))
