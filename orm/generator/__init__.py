"""The client generator `prisma generate` runs: protocol -> DMMF -> IR -> templates -> writer.

Imports none of our other packages: the generated code imports `orm.runtime`, the generator only
writes it.
"""

from __future__ import annotations
