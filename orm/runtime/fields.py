"""Field value types: `Json` and `Base64`, as in prisma-client-py's `prisma.fields`."""

from __future__ import annotations

import base64
from typing import Any

__all__ = ["Base64", "Json"]


class Json:
    """Wraps a JSON value for writing a `Json` field: `data={"meta": Json({"a": 1})}`.

    Reads return plain Python values (dict, list, str, ...), as prisma-client-py does.
    """

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data

    @classmethod
    def keys(cls, **data: Any) -> Json:
        return cls(data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Json) and other.data == self.data

    def __hash__(self) -> int:
        return hash(repr(self.data))

    def __repr__(self) -> str:
        return f"Json({self.data!r})"


class Base64:
    """Bytes for a `Bytes` field, base64-encoded as in prisma-client-py."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    @classmethod
    def encode(cls, value: bytes) -> Base64:
        return cls(base64.b64encode(value))

    def decode(self) -> bytes:
        return base64.b64decode(self._raw)

    def decode_str(self, encoding: str = "utf-8") -> str:
        return self.decode().decode(encoding)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Base64) and other._raw == self._raw

    def __hash__(self) -> int:
        return hash(self._raw)

    def __repr__(self) -> str:
        return f"Base64({self._raw!r})"
