"""Engine-free Prisma-style ORM.

`orm.generator` runs under `prisma generate`, `orm.runtime` is what generated clients import,
and `orm.push` applies a schema to PostgreSQL.
"""
