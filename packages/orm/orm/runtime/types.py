"""Type aliases shared by the runtime and the generated clients."""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["IsolationLevel", "JsonValue", "SortMode", "SortOrder"]

# The one place `Any` is allowed: arbitrary JSON-shaped input and output.
JsonValue = Any

SortOrder = Literal["asc", "desc"]
SortMode = Literal["default", "insensitive"]
IsolationLevel = Literal["ReadUncommitted", "ReadCommitted", "RepeatableRead", "Serializable"]
