"""Raw rows without `model=` hold what prisma-client-py's deserialised JSON holds
(databases/tests/types/raw_queries): ISO strings for DateTime, floats for Decimal, Base64 text
for Bytes, ints for BigInt, parsed Json; with `model=` they validate into the model."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.orm.conformance.generated.client import Base64, Json, Prisma
from tests.orm.conformance.generated.client.models import Types

SELECT = 'SELECT * FROM "Types" WHERE id = $1'


async def test_raw_rows_are_json_values(client: Prisma) -> None:
    when = datetime.datetime(2022, 12, 25, 12, 1, 34, tzinfo=datetime.UTC)
    record = await client.types.create(
        {
            "datetime_": when,
            "decimal_": Decimal("1.24343336464224"),
            "bytes": Base64.encode(b"foo"),
            "bigint": 2**40,
            "json_obj": Json({"a": [1, None]}),
        }
    )
    found = await client.query_first(SELECT, record.id)
    assert found is not None
    assert found["datetime_"] == "2022-12-25T12:01:34+00:00"
    assert found["decimal_"] == 1.24343336464224
    assert isinstance(found["decimal_"], float)
    assert found["bytes"] == "Zm9v"
    assert found["bigint"] == 2**40
    assert found["json_obj"] == {"a": [1, None]}
    assert found["optional_datetime"] is None

    model = await client.query_first(SELECT, record.id, model=Types)
    assert model is not None
    assert model.datetime_ == when
    assert model.decimal_ == Decimal("1.24343336464224")
    assert model.bytes.decode_str() == "foo"


async def test_raw_decimal_parameter(client: Prisma) -> None:
    record = await client.types.create({"decimal_": Decimal(1)})
    found = await client.query_first(
        'SELECT * FROM "Types" WHERE decimal_ = $1::numeric', Decimal(1)
    )
    assert found is not None
    assert found["id"] == record.id
    assert found["decimal_"] == 1
