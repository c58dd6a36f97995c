"""Running a plan: bind the request's values, run the one statement, hand on its bytes.

PostgreSQL prints non-ASCII characters as they are, while the resolver path's `json.dumps`
escapes them (`ensure_ascii`), DEL included; `ascii_json` makes the compiled text byte-identical.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from api.cache import Entry

if TYPE_CHECKING:
    from api.compiled.plan import Plan, RequestInputs
    from prisma import Prisma

__all__ = ["Compiled", "ascii_json", "run_plan"]

_NOT_ASCII = re.compile(r"[^\x00-\x7e]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"


def ascii_json(text: str) -> str:
    if text.isascii() and "\x7f" not in text:
        return text
    return _NOT_ASCII.sub(_escape, text)


class Compiled:
    """A request the compiled path will answer: its plan and its bound inputs."""

    __slots__ = ("inputs", "params", "plan")

    def __init__(self, plan: Plan, inputs: RequestInputs, params: list[object]) -> None:
        self.plan, self.inputs, self.params = plan, inputs, params


async def run_plan(db: Prisma, compiled: Compiled, *, default_ttl: int) -> Entry:
    row = await db.query_first(compiled.plan.sql, *compiled.params)
    assert row is not None  # a SELECT without FROM returns one row
    data = ascii_json(str(row["data"]))
    tags = set(compiled.plan.cache_tags(compiled.inputs))
    if row["tags"]:
        found: list[str] = json.loads(f"[{row['tags']}]")
        tags.update(found)
    ttl = compiled.plan.ttl(compiled.inputs)
    return Entry(
        value=data.encode(),
        ttl=default_ttl if ttl is None else ttl,
        tags=frozenset(tags),
    )
