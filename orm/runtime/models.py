"""Base class of every generated pydantic model."""

from __future__ import annotations

from typing import ClassVar

import pydantic

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    """Generated models set `__prisma_model__` to their schema model name (e.g. "User")."""

    __prisma_model__: ClassVar[str] = ""

    model_config = pydantic.ConfigDict(
        populate_by_name=True, arbitrary_types_allowed=True, use_enum_values=False
    )
