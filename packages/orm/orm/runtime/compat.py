"""prisma-client-py's `prisma._compat` helpers, for code written against it: one spelling of the
pydantic calls that worked on pydantic 1 and 2. This ORM needs pydantic 2, so each is the
pydantic 2 method it names (`model_parse(User, obj)` is `User.model_validate(obj)`)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic.fields import FieldInfo

__all__ = [
    "PYDANTIC_V2",
    "model_copy",
    "model_dict",
    "model_field_type",
    "model_fields",
    "model_json",
    "model_json_schema",
    "model_parse",
    "model_parse_json",
    "model_rebuild",
]

PYDANTIC_V2 = True

_ModelT = TypeVar("_ModelT", bound=BaseModel)


def model_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    return model.model_fields


def model_field_type(field: FieldInfo) -> object:
    """The field's annotation (a type, or a form such as `list[int] | None`)."""
    return field.annotation


def model_copy(model: _ModelT, deep: bool = False) -> _ModelT:
    return model.model_copy(deep=deep)


def model_json(
    model: BaseModel, *, indent: int | None = None, exclude: set[str] | None = None
) -> str:
    return model.model_dump_json(indent=indent, exclude=exclude)


def model_dict(
    model: BaseModel,
    *,
    by_alias: bool = False,
    exclude: set[str] | None = None,
    exclude_unset: bool = False,
) -> dict[str, Any]:
    return model.model_dump(by_alias=by_alias, exclude=exclude, exclude_unset=exclude_unset)


def model_rebuild(model: type[BaseModel]) -> None:
    model.model_rebuild()


def model_parse(model: type[_ModelT], obj: Any) -> _ModelT:
    return model.model_validate(obj)


def model_parse_json(model: type[_ModelT], obj: str | bytes) -> _ModelT:
    return model.model_validate_json(obj)


def model_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()
