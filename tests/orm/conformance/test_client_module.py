"""What prisma-client-py's generated package offers besides the client, that its own database
suite and its users' code import: `prisma.testing` (swap the registered client in tests),
`prisma._compat` (pydantic helpers), `prisma.bases` / `prisma.partials` after `import prisma`,
and `client._active_provider`."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from tests.orm.conformance.generated import client as package
from tests.orm.conformance.generated.client import Base64, Prisma, errors, testing
from tests.orm.conformance.generated.client._compat import (
    PYDANTIC_V2,
    model_dict,
    model_json,
    model_json_schema,
    model_parse,
    model_parse_json,
)
from tests.orm.conformance.generated.client.models import Types


def _raise_inside_reset_client() -> None:
    with testing.reset_client():
        with pytest.raises(errors.ClientNotRegisteredError):
            package.get_client()
        raise RuntimeError("the registered client is put back even when the block raises")


def test_reset_client_swaps_the_registered_client_for_a_block() -> None:
    registered = Prisma(datasource={"url": "postgresql://unused@127.0.0.1/none"})
    other = Prisma(datasource={"url": "postgresql://unused@127.0.0.1/none"})
    with pytest.raises(errors.ClientNotRegisteredError), testing.reset_client(other):
        pass  # nothing registered: nothing to put back
    package.register(registered)
    try:
        with testing.reset_client(other):
            assert package.get_client() is other
        assert package.get_client() is registered
        with pytest.raises(RuntimeError, match="put back"):
            _raise_inside_reset_client()
        assert package.get_client() is registered
    finally:
        testing.unregister_client()
    with pytest.raises(errors.ClientNotRegisteredError):
        testing.unregister_client()


async def test_compat_helpers_round_trip_a_record(client: Prisma) -> None:
    record = await client.types.create({"bytes": Base64.encode(b"foo"), "decimal_": Decimal("2.5")})
    assert PYDANTIC_V2
    again = model_parse_json(Types, model_json(record, exclude={"json_obj"}))
    assert again.bytes.decode() == b"foo"
    assert again.decimal_ == Decimal("2.5")
    copied = model_parse(Types, {**model_dict(record, exclude={"json_obj"}), "string": "x"})
    assert (copied.id, copied.string) == (record.id, "x")
    assert model_json_schema(Types)["properties"]["string"]["type"] == "string"


def test_bases_and_partials_are_attributes_of_the_package() -> None:
    # a fresh interpreter: in this one another test may have imported the submodules already
    code = (
        "import tests.orm.conformance.generated.client as prisma, sys\n"
        "assert 'tests.orm.conformance.generated.client.bases' not in sys.modules\n"
        "print(prisma.bases.BasePost.__name__, prisma.partials.PostOnlyPublished.__name__)\n"
        "try:\n    prisma.nope\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == [
        "BasePost PostOnlyPublished",
        "module 'tests.orm.conformance.generated.client' has no attribute 'nope'",
    ]


def test_the_client_names_its_provider(client: Prisma) -> None:
    assert client._active_provider == "postgresql"  # pyright: ignore[reportPrivateUsage]


async def test_a_bases_subclass_with_an_unknown_field_is_refused(client: Prisma) -> None:
    class CustomPost(package.bases.BasePost):
        foo_field: str

    with pytest.raises(
        errors.FieldNotFoundError, match=r"Field 'foo_field' not found in enclosing type 'Post'"
    ):
        await CustomPost.prisma(client).find_first()
