"""Every scalar and native type lands as Prisma would create it, and compares as unchanged."""

from __future__ import annotations

from orm.push.db import Connection
from orm.push.target import Target
from tests.push.conftest import DatamodelOf
from tests.push.helpers import catalog_fingerprint, columns, index_defs, run_push

NATIVE = """
model Native {
  id      BigInt   @id @default(autoincrement())
  small   Int      @default(autoincrement()) @db.SmallInt
  text    String   @db.Text
  char    String   @db.Char(3)
  onechar String   @db.Char
  varchar String   @db.VarChar
  bit     String   @db.Bit(2)
  varbit  String   @db.VarBit(8)
  uuid    String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  xml     String   @db.Xml
  inet    String   @db.Inet
  int     Int      @db.Integer
  oid     Int      @db.Oid
  double  Float    @db.DoublePrecision
  real    Float    @default(1.25) @db.Real
  decimal Decimal  @default(3.5) @db.Decimal(8, 3)
  money   Decimal  @db.Money
  date    DateTime @default(dbgenerated("CURRENT_DATE")) @db.Date
  time    DateTime @db.Time(2)
  timetz  DateTime @db.Timetz(2)
  ts      DateTime @db.Timestamp(6)
  tstz    DateTime @default(now()) @db.Timestamptz
  json    Json     @default("[]") @db.Json
  jsonb   Json     @db.JsonB
  bytes   Bytes    @db.ByteA
  flags   Boolean[] @default([true, false])
  stamps  DateTime[] @db.Timestamptz(3)
}
"""

EXPECTED = {
    "id": "bigint",
    "small": "smallint",
    "text": "text",
    "char": "character(3)",
    "onechar": "character(1)",
    "varchar": "character varying",
    "bit": "bit(2)",
    "varbit": "bit varying(8)",
    "uuid": "uuid",
    "xml": "xml",
    "inet": "inet",
    "int": "integer",
    "oid": "oid",
    "double": "double precision",
    "real": "real",
    "decimal": "numeric(8,3)",
    "money": "money",
    "date": "date",
    "time": "time(2) without time zone",
    "timetz": "time(2) with time zone",
    "ts": "timestamp(6) without time zone",
    "tstz": "timestamp with time zone",
    "json": "json",
    "jsonb": "jsonb",
    "bytes": "bytea",
    "flags": "boolean[]",
    "stamps": "timestamp(3) with time zone[]",
}


async def test_native_types_round_trip(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    datamodel = datamodel_of(NATIVE)
    await run_push(datamodel, target)
    found = await columns(conn, pg_schema, "Native")
    before = await catalog_fingerprint(conn, pg_schema)

    again, _ = await run_push(datamodel, target)

    assert {name: type_ for name, (type_, _, _) in found.items()} == EXPECTED
    assert found["small"][2] == "nextval('\"Native_small_seq\"'::regclass)"
    assert found["uuid"][2] == "gen_random_uuid()"
    assert found["flags"][2] == "ARRAY[true, false]"
    assert again.executed == []
    assert await catalog_fingerprint(conn, pg_schema) == before


CHILD = "ChildTableWithAnExceedinglyLongName"
ALPHA = "alpha_column_with_a_remarkably_long_name_for_the_key"
BETA = "beta_column_with_a_remarkably_long_name_for_the_keys"
KEYS = f"[{ALPHA}, {BETA}]"
LONG = f"""
model Parent {{
  {ALPHA} Int
  {BETA} Int
  children {CHILD}[]

  @@id({KEYS})
}}

model {CHILD} {{
  id Int @id
  {ALPHA} Int
  {BETA} Int
  parent Parent @relation(fields: {KEYS}, references: {KEYS})

  @@unique([{ALPHA}])
  @@index([{BETA}(sort: Desc)])
}}
"""


async def test_long_names_are_truncated_like_prisma(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    datamodel = datamodel_of(LONG)
    await run_push(datamodel, target)

    again, _ = await run_push(datamodel, target)

    names = set(await index_defs(conn, pg_schema))
    assert f"{CHILD}_{ALPHA}"[:59] + "_key" in names
    assert f"{CHILD}_{BETA}"[:59] + "_idx" in names
    fk = await conn.fetchval(
        "SELECT conname FROM pg_constraint WHERE contype = 'f'"
        " AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)",
        pg_schema,
    )
    assert fk == f"{CHILD}_{ALPHA}_{BETA}"[:58] + "_fkey"
    assert again.executed == []
