"""Engine-free Prisma-style ORM: generator (`orm.generator`), runtime (`orm.runtime`), `db push` (`orm.push`)."""
