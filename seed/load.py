"""Streaming rows into COPY with a progress bar."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence

from tqdm import tqdm

from seed.pg import Connection
from seed.report import TableReport

__all__ = ["copy_rows"]

_CHUNK = 5_000


async def copy_rows(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterator[tuple[object, ...]],
    *,
    total: int,
    progress: bool,
) -> TableReport:
    """COPY `rows` into `table`, generating them while the server ingests earlier ones.

    asyncpg sends records as the async iterator yields them, so generating the next chunk in
    Python overlaps with PostgreSQL parsing and storing the previous one on the other core.
    """
    started = time.perf_counter()
    count = 0
    bar = tqdm(
        total=total, desc=f"{table:<22}", unit=" rows", unit_scale=True, file=sys.stderr,
        disable=not progress, dynamic_ncols=True,
    )  # fmt: skip

    async def stream() -> AsyncIterator[tuple[object, ...]]:
        nonlocal count
        while chunk := list(itertools.islice(rows, _CHUNK)):
            for row in chunk:
                yield row
            count += len(chunk)
            bar.update(len(chunk))

    try:
        await conn.copy_records_to_table(table, records=stream(), columns=columns)
    finally:
        bar.close()
    return TableReport(table, count, time.perf_counter() - started)
