"""Raw query rows → the Python values prisma-client-py's `deserialize_raw_results` gives.

asyncpg hands back a `timestamp` column as a naive datetime and `bytea` as bytes; model reads
return UTC-aware datetimes and `Base64`, so raw rows (dicts, or validated into a model) do too.
Naive timestamps are stored as UTC, as the engine writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import cast

from orm.runtime.fields import Base64
from orm.runtime.types import JsonValue

__all__ = ["raw_row", "raw_value"]


def raw_value(value: JsonValue) -> JsonValue:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, bytes):
        return Base64.encode(value)
    if isinstance(value, list):
        items = cast(list[JsonValue], value)
        return [raw_value(item) for item in items]
    return value


def raw_row(row: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    return {key: raw_value(value) for key, value in row.items()}
