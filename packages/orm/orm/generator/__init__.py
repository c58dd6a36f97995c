"""The client generator `prisma generate` runs: protocol -> DMMF -> IR -> templates -> writer.

A schema's `generator` block with `provider = "python -m orm.generator"` makes the Prisma CLI
start `__main__.py`, which answers `protocol.py`'s JSON-RPC. `generate.py` takes the `generate`
request: `dmmf.py` parses it, `ir/` works out every name and type, `render.py` fills one template
per output file, and `writer.py` formats the result with ruff and swaps it into `output`.

    python -m orm generate [--schema schema.prisma]
    python -m orm check-generated --schema schema.prisma --schema tests/orm/schema.prisma

Tests: `pytest tests/generator tests/typesafety`; after an intended change to the output,
`pytest tests/generator --update-goldens`; after a change to a fixture's schema,
`python -m tests.generator.capture` first.

Imports none of our other packages except `orm.prisma_cli` (to run the CLI): generated code
imports `orm.runtime`; the generator only writes it.
"""

from __future__ import annotations
