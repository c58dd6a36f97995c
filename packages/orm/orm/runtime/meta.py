"""Schema metadata the runtime compiles against, built from the DMMF datamodel.

CONTRACT with the generator: a generated client embeds the DMMF `datamodel` (the dict with
`models`, `enums`, `types`, `indexes`) as JSON in `<package>/_schema.py` and builds
`SCHEMA = SchemaMeta.from_datamodel(DATAMODEL, schema_sha256=SHA)` (with `datasource=DATASOURCE`
when the schema's datasource block names its URL: `orm.datasource`); its `__init__` then calls
`SCHEMA.bind(models={"User": models.User, ...}, enums={"Role": enums.Role, ...})` so the runtime
can hydrate nested results and enum values. `db push` reads the same embedded datamodel when Node
is not available.

Tables are built once here: queries use `models[name].table` (no schema: the connection's
`search_path` picks it), and `sqlalchemy_metadata(schema)` builds a fresh, schema-qualified copy
for `create_all` that matches the DDL `prisma db push` would run.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from orm.runtime.models import BaseModel
from orm.runtime.query.datamodel import parse_enums, parse_models
from orm.runtime.query.structure import EnumMeta, ModelMeta, Statements

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table

    from orm.datasource import DatasourceUrls

__all__ = ["SchemaMeta"]


class SchemaMeta:
    __slots__ = (
        "_lock",
        "datamodel",
        "datasource",
        "enums",
        "join_tables",
        "metadata",
        "models",
        "schema_sha256",
    )

    def __init__(
        self,
        datamodel: Mapping[str, Any],
        *,
        schema_sha256: str = "",
        datasource: DatasourceUrls | None = None,
    ) -> None:
        self.datamodel = datamodel
        self.schema_sha256 = schema_sha256
        self.datasource = datasource
        """The URLs the schema's datasource block names (None when it names none: the client
        reads `DATABASE_URL`)."""
        self.enums: dict[str, EnumMeta] = parse_enums(datamodel)
        self.models: dict[str, ModelMeta] = parse_models(datamodel, self.enums)
        self._lock = threading.Lock()
        for model in self.models.values():
            model.build_tables = self._build_tables

    def __getattr__(self, name: str) -> Any:
        """`metadata` and `join_tables` are built with the tables, on first use."""
        if name in ("metadata", "join_tables"):
            self._build_tables()
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    def _build_tables(self) -> None:
        """The SQLAlchemy tables and statement prefixes, built on first use, not at import: a
        200-model schema spends most of its import time here otherwise. SQLAlchemy itself is
        imported here too, on first use, for the same reason."""
        from sqlalchemy import MetaData, delete, insert, select, update

        from orm.runtime.query.columns import labelled_columns
        from orm.runtime.query.tables import build_tables

        with self._lock:
            if any(m.build_tables is None for m in self.models.values()):
                return  # another thread built them
            metadata = MetaData()
            tables, self.join_tables = build_tables(
                self.models, self.enums, metadata, self.datamodel.get("indexes", [])
            )
            self.metadata = metadata
            for name, table in tables.items():
                model = self.models[name]
                model.table = table
                model.columns = {f: table.c[f] for f in model.scalars}
                model.select_columns = labelled_columns(model, table)
                model.statements = Statements(
                    select=select(*model.select_columns),
                    insert=insert(table).returning(*model.select_columns),
                    update=update(table).returning(*model.select_columns),
                    delete=delete(table).returning(*model.select_columns),
                )
            for model in self.models.values():
                model.build_tables = None

    @classmethod
    def from_datamodel(
        cls,
        datamodel: Mapping[str, Any],
        *,
        schema_sha256: str = "",
        datasource: DatasourceUrls | None = None,
    ) -> SchemaMeta:
        return cls(datamodel, schema_sha256=schema_sha256, datasource=datasource)

    def bind(
        self, *, models: Mapping[str, type[BaseModel]], enums: Mapping[str, type[Enum]]
    ) -> None:
        """Attach the generated pydantic classes so results hydrate into them."""
        from orm.runtime.partials import register_relations

        for name, cls in models.items():
            meta = self.models[name]
            meta.model_class = cls
            register_relations(cls, meta.relations)
            meta.enum_classes = {
                f.name: enums[f.type]
                for f in meta.scalars.values()
                if f.is_enum and f.type in enums
            }
        from orm.runtime.query.hydrate import prepare_hydrators

        prepare_hydrators(self)

    def model(self, name: str) -> ModelMeta:
        return self.models[name]

    def join_table(self, name: str) -> Table:
        return self.join_tables[name]

    def sqlalchemy_metadata(self, schema: str | None = None) -> MetaData:
        """A new `MetaData` whose tables (in `schema`) match what `prisma db push` creates."""
        from sqlalchemy import MetaData

        from orm.runtime.query.tables import build_tables

        metadata = MetaData(schema=schema)
        indexes: Sequence[Any] = self.datamodel.get("indexes", [])
        build_tables(self.models, self.enums, metadata, indexes)
        return metadata
