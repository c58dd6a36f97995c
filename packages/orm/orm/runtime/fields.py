"""Field value types: `Json` and `Base64`, as in prisma-client-py's `prisma.fields`."""

from __future__ import annotations

import base64
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

__all__ = ["Base64", "Json"]

BASE64_ENCODING = "ascii"
"""Base64 text is ASCII; anything else is caught as early as possible."""


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
    """Bytes for a `Bytes` field, base64-encoded as in prisma-client-py.

    `Base64.encode(b"x")` encodes raw bytes; `Base64.fromb64("eA==")` wraps data that is
    already base64. `str()` is the base64 text, which is also how pydantic writes it to JSON;
    validating a model accepts a `Base64`, or base64 `str`/`bytes`.
    """

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    @classmethod
    def encode(cls, value: bytes) -> Base64:
        return cls(base64.b64encode(value))

    @classmethod
    def fromb64(cls, value: str | bytes) -> Base64:
        return cls(value if isinstance(value, bytes) else value.encode(BASE64_ENCODING))

    def decode(self) -> bytes:
        return base64.b64decode(self._raw)

    def decode_str(self, encoding: str = "utf-8") -> str:
        return self.decode().decode(encoding)

    @classmethod
    def _validate(cls, value: object) -> Base64:
        if isinstance(value, Base64):
            return value
        if isinstance(value, str | bytes):
            return cls.fromb64(value)
        raise ValueError(
            f"Could not convert {type(value).__name__} to Base64: expected a Base64, or "
            "base64-encoded str or bytes (use Base64.encode(raw_bytes) for raw bytes)."
        )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: object, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "byte"}

    def __str__(self) -> str:
        return self._raw.decode(BASE64_ENCODING)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Base64) and other._raw == self._raw

    def __hash__(self) -> int:
        return hash(self._raw)

    def __repr__(self) -> str:
        return f"Base64({self._raw!r})"
