"""Raw query rows → the Python values prisma-client-py's `deserialize_raw_results` gives.

Without `model=`, prisma-client-py hands back what the engine's JSON holds: DateTime as an ISO
string, Decimal as a float, Bytes as Base64 text, BigInt as an int, Json parsed (`raw_row`).
With `model=`, rows are validated into the model, so datetimes stay datetimes (`model_row`).
asyncpg hands back a `timestamp` column as a naive datetime: it is stored as UTC, as the engine
writes it. `Prisma(raw_rows="native")` keeps asyncpg's values (Decimal, datetime) in dict rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Literal, cast

from orm.runtime.fields import Base64
from orm.runtime.types import JsonValue

__all__ = ["RawRows", "model_row", "raw_row", "raw_value"]

RawRows = Literal["json", "native"]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def model_value(value: JsonValue) -> JsonValue:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, bytes):
        return Base64.encode(value)
    if isinstance(value, list):
        return [model_value(item) for item in cast(list[JsonValue], value)]
    return value


def raw_value(value: JsonValue) -> JsonValue:
    """One value as JSON would carry it (what prisma-client-py's raw rows hold)."""
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return str(Base64.encode(value))
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [raw_value(item) for item in cast(list[JsonValue], value)]
    return value


def raw_row(row: Mapping[str, JsonValue], mode: RawRows = "json") -> dict[str, JsonValue]:
    convert = raw_value if mode == "json" else model_value
    return {key: convert(value) for key, value in row.items()}


def model_row(row: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """A row to validate into a model: aware datetimes, Base64 for bytes."""
    return {key: model_value(value) for key, value in row.items()}
