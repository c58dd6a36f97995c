"""Schema metadata the runtime compiles against, built from the DMMF datamodel.

CONTRACT with the generator: a generated client embeds the DMMF `datamodel` (the dict with
`models`, `enums`, `types`, `indexes`) as JSON in `<package>/_schema.py` and builds
`SCHEMA = SchemaMeta.from_datamodel(DATAMODEL, schema_sha256=SHA)`; its `__init__` then calls
`SCHEMA.bind(models={"User": models.User, ...}, enums={"Role": enums.Role, ...})` so the runtime
can hydrate nested results and enum values. `db push` reads the same embedded datamodel when Node
is not available.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from orm.runtime.models import BaseModel

__all__ = ["SchemaMeta"]


class SchemaMeta:
    @classmethod
    def from_datamodel(cls, datamodel: Mapping[str, Any], *, schema_sha256: str = "") -> SchemaMeta:
        raise NotImplementedError

    def bind(
        self, *, models: Mapping[str, type[BaseModel]], enums: Mapping[str, type[Enum]]
    ) -> None:
        raise NotImplementedError
