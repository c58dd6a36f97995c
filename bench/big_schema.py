"""Big schemas (prisma-client-py issue #1040): generate a client for an N-model schema, then time
importing it in a fresh interpreter and pyright (strict) checking a file that uses it.

    .venv/bin/python bench/big_schema.py [--models 200] [--runs 5]

Each model has eight scalar fields of mixed types, an enum, a unique, a to-one relation to its
parent in a tree of fan-out 4 and to-many relations to its children, so every generated type
family is exercised. (A single 200-deep chain of relations overflows pyright's own stack: see
the README.)
Figures are printed with the load average; nothing is asserted (see tests/ for behaviour).
Import times are wall and CPU seconds (the CPU figure barely moves with the load of a shared
machine); the script also prints which heavy libraries the import loaded, and what the first
`connect()` and query then pay to load the engine and the query compiler (SQLAlchemy, asyncpg).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packages" / "orm"))

from orm.generator.cli import main as orm_main  # noqa: E402

HEADER = """datasource db {
  provider = "postgresql"
}

generator client {
  provider = "python -m orm.generator"
  output   = "./big_client"
{option}}

enum Status {
  DRAFT
  LIVE
  GONE
}
"""


def schema(models: int, *, fan_out: int = 4, depth: int | None = None) -> str:
    """Models in a tree (each points at parent `i // fan_out`, as tables point at an owner), so
    relations nest a few levels deep as in real schemas, not one 200-deep chain. `depth` sets
    the generator's `recursive_type_depth` (None: its default)."""
    option = "" if depth is None else f"  recursive_type_depth = {depth}\n"
    parts = [HEADER.replace("{option}", option)]
    for i in range(models):
        parent = (i - 1) // fan_out
        children = [c for c in range(i * fan_out + 1, i * fan_out + fan_out + 1) if c < models]
        relation = (
            f"  parentId  Int?\n  parent    Model{parent}? @relation(fields: [parentId], "
            "references: [id])\n"
            if i
            else ""
        )
        parts.append(
            f"model Model{i} {{\n"
            "  id        Int       @id @default(autoincrement())\n"
            "  name      String    @unique\n"
            "  body      String?\n"
            "  count     Int       @default(0)\n"
            "  price     Decimal?\n"
            "  flag      Boolean   @default(false)\n"
            "  status    Status    @default(DRAFT)\n"
            "  tags      String[]\n"
            "  createdAt DateTime  @default(now())\n"
            + relation
            + "".join(f"  children{c} Model{c}[]\n" for c in children)
            + "}\n"
        )
    return "\n".join(parts)


USAGE = """from __future__ import annotations

from big_client import Prisma


async def main(db: Prisma) -> None:
    found = await db.model{last}.find_many(
        where={{"name": {{"contains": "a"}}, "parent": {{"is": {{"count": {{"gt": 1}}}}}}}},
        include={{"parent": True}},
        order={{"createdAt": "desc"}},
        take=10,
    )
    for row in found:
        print(row.name, row.parent.name if row.parent else None)
    await db.model0.create(
        data={{"name": "x", "tags": ["a"], "children1": {{"create": [{{"name": "y"}}]}}}}
    )
"""


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Bytecode caching on, as for an installed package (pip compiles it at install time)."""

HEAVY = ("sqlalchemy", "asyncpg", "pydantic")
"""Libraries whose presence after `import big_client` the script reports."""

IMPORT = (
    "import sys, time\n"
    "{before}\n"
    "t, c = time.perf_counter(), time.process_time()\n"
    "import {module}\n"
    "print(time.perf_counter() - t, time.process_time() - c)\n"
    f"print(*(m for m in {HEAVY!r} if m in sys.modules))"
)

DEFERRED = "orm.runtime.engine.core, orm.runtime.query.strategy, orm.runtime.query.write.ops"
"""What a client's first `connect()` and first queries import (engine, reads, writes)."""


def _timed(command: list[str], cwd: Path) -> float:
    return _timed_cpu(command, cwd)[0]


def _timed_cpu(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys of the command and its children): on a shared
    machine the CPU time is the figure that does not grow with the load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@dataclass(frozen=True)
class Imported:
    wall: float
    cpu: float
    loaded: tuple[str, ...]


def _import_seconds(python: str, module: str, cwd: Path, before: str = "") -> Imported:
    """Wall and CPU seconds `import module` takes inside a fresh interpreter (start-up and
    the `before` statement excluded), and which of HEAVY it has loaded by then."""
    proc = subprocess.run(
        [python, "-c", IMPORT.format(module=module, before=before)],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
    )
    times, loaded = [*proc.stdout.splitlines(), ""][:2]
    wall, cpu = (float(x) for x in times.split())
    return Imported(wall, cpu, tuple(loaded.split()))


def _medians(found: list[Imported]) -> str:
    wall = statistics.median(i.wall for i in found)
    cpu = statistics.median(i.cpu for i in found)
    return f"median {wall:.3f} s (CPU {cpu:.3f} s, min {min(i.cpu for i in found):.3f} s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--recursive-type-depth", type=int, default=None, help="the generator option (-1: off)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orm-big-") as tmp:
        folder = Path(tmp)
        (folder / "schema.prisma").write_text(schema(args.models, depth=args.recursive_type_depth))
        started = time.perf_counter()
        if orm_main(["generate", "--schema", str(folder / "schema.prisma")]) != 0:
            raise SystemExit("generation failed")
        generate_s = time.perf_counter() - started
        lines = sum(len(p.read_text().splitlines()) for p in (folder / "big_client").glob("*.py"))
        python = sys.executable
        _timed([python, "-c", "import big_client"], folder)  # writes the bytecode cache
        runtime = [_import_seconds(python, "orm.runtime", folder) for _ in range(args.runs)]
        imports = [_import_seconds(python, "big_client", folder) for _ in range(args.runs)]
        deferred = [
            _import_seconds(python, DEFERRED, folder, before="import big_client")
            for _ in range(args.runs)
        ]
        whole = [_timed([python, "-c", "import big_client"], folder) for _ in range(args.runs)]
        (folder / "usage.py").write_text(USAGE.format(last=args.models - 1))
        (folder / "pyrightconfig.json").write_text(
            '{"typeCheckingMode": "strict", "reportMissingTypeStubs": false, '
            f'"venvPath": "{ROOT}", "venv": ".venv"}}'
        )
        pyright = str(Path(python).parent / "pyright")
        checks = [_timed_cpu([pyright, "usage.py"], folder) for _ in range(max(2, args.runs // 2))]
        errors = (
            subprocess.run(
                [pyright, "usage.py"], cwd=folder, capture_output=True, text=True, env=ENV
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    load = os.getloadavg()
    depth = "default" if args.recursive_type_depth is None else args.recursive_type_depth
    print(
        f"models: {args.models}, recursive_type_depth {depth}; "
        f"generated {lines} lines in {generate_s:.1f} s"
    )
    loaded = ", ".join(imports[0].loaded) or "none"
    print(
        f"import big_client: {_medians(imports)}; of which orm.runtime: {_medians(runtime)};"
        f" whole process incl. interpreter start-up: median {statistics.median(whole):.3f} s"
    )
    print(
        f"loaded by the import, of {', '.join(HEAVY)}: {loaded}; the engine and query compiler"
        f" load with the first connect() and queries: {_medians(deferred)}"
    )
    wall, cpu = (statistics.median(c[i] for c in checks) for i in (0, 1))
    print(f"pyright strict on a file using it: median {wall:.1f} s, CPU {cpu:.1f} s ({errors})")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
