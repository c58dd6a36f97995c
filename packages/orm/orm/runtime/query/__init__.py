"""The query compiler: prisma-client-py's arguments → SQLAlchemy Core statements → results.

Everything runs through an `orm.runtime.executor.Executor`; nothing here opens connections.
`orm.runtime.actions.ModelActions` calls in here; the modules, in the order a query meets them:

- `structure`, `datamodel`, `tables`: what `SchemaMeta` knows about each model, read once from
  the DMMF, and the SQLAlchemy tables (plus prebuilt select/insert/update/delete prefixes).
- `values`, `shapes`: input values checked per field and turned into parameters.
- `where`, `filters`, `order`: `where`, `order`, `cursor`, `take`/`skip` → SQL.
- `read`, `include`, `columns`, `hydrate`: finds, the one-statement-per-level include loader,
  how columns are selected, rows → models.
- `aggregate`, `having`: `count` and `group_by`.
- `write/`: create/update/upsert/delete (`ops`), one row with its nested writes (`core`,
  `nested`, `nested_many`), scalar data and defaults (`scalars`), up-front checks (`validate`).
"""

from __future__ import annotations
