"""Base class of every generated pydantic model."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, cast

import pydantic
from pydantic.main import IncEx

from orm.runtime.types import JsonValue

__all__ = ["BaseModel", "allow_schema_depth"]


def allow_schema_depth(models: int) -> None:
    """Make room for pydantic to build a schema of `models` related models.

    pydantic builds a model's schema depth-first through its relation fields, about 30 Python
    frames per model, so a chain of a few dozen related models passes the default recursion
    limit of 1000. Raised (never lowered) by the generated models module."""
    needed = 1000 + 40 * models
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


# pydantic.BaseModel's slot for `model_fields_set` (see `BaseModel.__pydantic_fields_set__`).
_FIELDS_SET = pydantic.BaseModel.__dict__["__pydantic_fields_set__"]


def _own_fields_set(model: pydantic.BaseModel) -> set[str]:
    fields: set[str] | frozenset[str] = _FIELDS_SET.__get__(model)
    if type(fields) is frozenset:  # shared by a query's records: this one's own copy, once
        fields = set(fields)
        _FIELDS_SET.__set__(model, fields)
    return cast(set[str], fields)


class BaseModel(pydantic.BaseModel):
    """Generated models set `__prisma_model__` to their schema model name (e.g. "User")."""

    __prisma_model__: ClassVar[str] = ""

    __pydantic_fields_set__ = property(  # pyright: ignore[reportAssignmentType]
        _own_fields_set, _FIELDS_SET.__set__
    )
    """The records of one query share one frozenset of the fields they were read with, set in
    pydantic's slot (`query.hydrate.construct_all`): no set per record, which halves what the
    garbage collector does for a read (bench/orm.py's find_many: 20 users and their 500 posts,
    GC 480 -> 177 µs CPU of ~2 ms a call). Read through here, a record
    gets its own set the first time anything (pydantic, `model_fields_set`) asks for it, so
    marking a field set on one record (`record.x = ...`) never touches the others."""

    model_config = pydantic.ConfigDict(
        populate_by_name=True,
        arbitrary_types_allowed=True,
        use_enum_values=False,
        from_attributes=True,  # a record validates into a partial type or subclass of its model
        defer_build=True,  # built on first validation / dump: imports stay fast
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """A user's subclass of a generated model (`class MyUser(User)`, for `.prisma()`)
        lives in another module, where the inherited relation annotations (`list[Post]`)
        don't resolve: build it with the generated module's names in scope."""
        super().__pydantic_init_subclass__(**kwargs)
        if cls.__dict__.get("__prisma_model__"):
            return  # generated: a model, base or partial type, built in its own module
        generated = next((b for b in cls.__mro__[1:] if b.__dict__.get("__prisma_model__")), None)
        if generated is None or generated.__module__ == cls.__module__:
            return
        names = {**vars(sys.modules[generated.__module__]), **vars(sys.modules[cls.__module__])}
        cls.model_rebuild(_types_namespace=names)

    @classmethod
    def create_partial(
        cls,
        name: str,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        required: Iterable[str] | None = None,
        optional: Iterable[str] | None = None,
        relations: Mapping[str, str] | None = None,
        exclude_relational_fields: bool = False,
    ) -> None:
        """Declare a partial type of this model, from a `partial_type_generator` script run by
        `prisma generate`; it is then importable from `<package>.partials` (prisma-client-py's
        API: `include` xor `exclude` picks fields, `required` / `optional` change their
        optionality, `relations` types a relation with another partial type)."""
        from orm.runtime.partials import PartialOptions, create_partial

        options = PartialOptions(
            include=None if include is None else frozenset(include),
            exclude=None if exclude is None else frozenset(exclude),
            required=frozenset(required or ()),
            optional=frozenset(optional or ()),
            relations=dict(relations or {}),
            exclude_relational_fields=exclude_relational_fields,
        )
        create_partial(cls, name, options)

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
