"""Prisma's naming rules for PostgreSQL constraints and indexes, and SQL quoting.

Default names are built from database names: `<table>_pkey`, `<table>_<cols>_key`,
`<table>_<cols>_idx`, `<table>_<cols>_fkey`. PostgreSQL keeps 63 bytes of an identifier, so
Prisma cuts the stem (at a character boundary) to leave room for the suffix, e.g. a 70-byte
`<table>_<cols>` becomes its first 59 bytes plus `_idx`.
"""

from __future__ import annotations

__all__ = [
    "MAX_IDENTIFIER",
    "TEMP_INDEX_SUFFIX",
    "foreign_key_name",
    "index_name",
    "literal",
    "primary_key_name",
    "quote",
    "temp_index_name",
    "truncate",
    "unique_name",
]

MAX_IDENTIFIER = 63
TEMP_INDEX_SUFFIX = "_push_tmp"


def truncate(name: str, limit: int = MAX_IDENTIFIER) -> str:
    """`name` cut to at most `limit` UTF-8 bytes without splitting a character."""
    encoded = name.encode()
    if len(encoded) <= limit:
        return name
    return encoded[:limit].decode(errors="ignore")


def _with_suffix(stem: str, suffix: str) -> str:
    limit = MAX_IDENTIFIER - len(suffix)
    if len(stem.encode()) >= limit:
        stem = truncate(stem, limit)
    return stem + suffix


def primary_key_name(table: str) -> str:
    return _with_suffix(table, "_pkey")


def unique_name(table: str, columns: list[str]) -> str:
    return _with_suffix("_".join([table, *columns]), "_key")


def index_name(table: str, columns: list[str]) -> str:
    return _with_suffix("_".join([table, *columns]), "_idx")


def foreign_key_name(table: str, columns: list[str]) -> str:
    return _with_suffix("_".join([table, *columns]), "_fkey")


def temp_index_name(name: str) -> str:
    """Where a push builds the new version of index `name` concurrently before swapping it in."""
    return _with_suffix(name, TEMP_INDEX_SUFFIX)


def quote(identifier: str) -> str:
    """A double-quoted SQL identifier, as Prisma writes every name."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A single-quoted SQL string literal."""
    return "'" + value.replace("'", "''") + "'"
