"""Base class of every generated pydantic model."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import ClassVar

import pydantic
from pydantic.main import IncEx

from orm.runtime.types import JsonValue

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    """Generated models set `__prisma_model__` to their schema model name (e.g. "User")."""

    __prisma_model__: ClassVar[str] = ""

    model_config = pydantic.ConfigDict(
        populate_by_name=True, arbitrary_types_allowed=True, use_enum_values=False
    )

    def json(  # pyright: ignore[reportIncompatibleMethodOverride]
        self,
        *,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        by_alias: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        encoder: Callable[[JsonValue], JsonValue] | None = None,
        models_as_dict: bool = True,
        **dumps_kwargs: JsonValue,
    ) -> str:
        """pydantic v1's `.json(indent=2, sort_keys=True)`, which prisma-client-py's docs use
        (pydantic v2 refuses `json.dumps` arguments)."""
        data = self.model_dump(
            mode="json",
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        return json.dumps(data, default=encoder, **dumps_kwargs)
