"""Split a SQL script into statements, respecting quotes, dollar quotes and comments.

Needed for scripts with CREATE INDEX CONCURRENTLY, which PostgreSQL refuses inside the implicit
transaction of a multi-statement query.
"""

from __future__ import annotations

import re

__all__ = ["split_statements"]

_TOKEN = re.compile(
    r"""(?P<dollar>\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$)
      | (?P<line>--[^\n]*)
      | (?P<block>/\*.*?\*/)
      | (?P<single>'(?:[^']|'')*')
      | (?P<double>"(?:[^"]|"")*")
      | (?P<semi>;)""",
    re.VERBOSE | re.DOTALL,
)


def split_statements(script: str) -> list[str]:
    statements: list[str] = []
    start = position = 0
    while (match := _TOKEN.search(script, position)) is not None:
        position = match.end()
        if match.lastgroup == "dollar":
            closing = script.find(match.group(), position)
            position = len(script) if closing < 0 else closing + len(match.group())
        elif match.lastgroup == "semi":
            statements.append(script[start : match.start()])
            start = position
    statements.append(script[start:])
    return [s.strip() for s in statements if _has_code(s)]


def _has_code(statement: str) -> bool:
    without = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.DOTALL)
    return bool(without.strip())
