"""A push on an empty schema creates exactly the declared tables, keys and indexes."""

from __future__ import annotations

import pytest

from orm.push.db import Connection
from orm.push.dmmf import JsonValue
from orm.push.target import Target
from tests.push.conftest import ROOT, DatamodelOf
from tests.push.helpers import columns, index_defs, run_push

TEST_SCHEMA = ROOT / "tests" / "orm" / "schema.prisma"
DOMAIN_SCHEMA = ROOT / "schema.prisma"


async def _qi(conn: Connection, name: str) -> str:
    return str(await conn.fetchval("SELECT quote_ident($1)", name))


async def expected_index_defs(
    conn: Connection, datamodel: dict[str, JsonValue], schema: str
) -> dict[str, str]:
    """What pg_indexes should show, worked out from the DMMF by Prisma's naming rules."""
    models = {m["name"]: m for m in datamodel["models"]}
    out: dict[str, str] = {}
    for index in datamodel["indexes"]:
        model = models[index["model"]]
        table = model["dbName"] or model["name"]
        fields = {f["name"]: f.get("dbName") or f["name"] for f in model["fields"]}
        cols = [fields[f["name"]] for f in index["fields"]]
        suffix = {"id": "pkey", "unique": "key", "normal": "idx"}[index["type"]]
        stem = table if index["type"] == "id" else "_".join([table, *cols])
        name = index.get("dbName") or f"{stem}_{suffix}"
        assert len(name) <= 63, name
        keys: list[str] = []
        for field, column in zip(index["fields"], cols, strict=True):
            key = await _qi(conn, column)
            if field.get("operatorClass"):
                key += f" {field['operatorClass']}"
            if field.get("sortOrder") == "desc":
                key += " DESC"
            keys.append(key)
        method = (index.get("algorithm") or "BTree").lower()
        unique = "UNIQUE " if index["type"] in {"id", "unique"} else ""
        out[name] = (
            f"CREATE {unique}INDEX {await _qi(conn, name)} ON {await _qi(conn, schema)}."
            f"{await _qi(conn, table)} USING {method} ({', '.join(keys)})"
        )
    return out


async def test_test_schema_gets_exactly_the_declared_indexes(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    datamodel = datamodel_of(TEST_SCHEMA.read_text(), full=True)

    result, output = await run_push(datamodel, target)

    expected = await expected_index_defs(conn, datamodel, pg_schema)
    schema = await _qi(conn, pg_schema)
    for relation in ("CategoryToPost", "Follows"):
        table = f'{schema}."_{relation}"'
        expected[f"_{relation}_AB_pkey"] = (
            f'CREATE UNIQUE INDEX "_{relation}_AB_pkey" ON {table} USING btree ("A", "B")'
        )
        expected[f"_{relation}_B_index"] = (
            f'CREATE INDEX "_{relation}_B_index" ON {table} USING btree ("B")'
        )
    assert await index_defs(conn, pg_schema) == expected
    assert "Applied" in output
    assert result.executed


@pytest.mark.skipif(not DOMAIN_SCHEMA.exists(), reason="no domain schema.prisma yet")
async def test_domain_schema_gets_exactly_the_declared_indexes(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    datamodel = datamodel_of(DOMAIN_SCHEMA.read_text(), full=True)

    await run_push(datamodel, target)

    assert await index_defs(conn, pg_schema) == await expected_index_defs(
        conn, datamodel, pg_schema
    )


async def test_columns_keys_and_defaults_match_prisma(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(TEST_SCHEMA.read_text(), full=True), target)

    users = await columns(conn, pg_schema, "users")
    assert users["id"] == ("text", False, None)  # cuid() is filled in by the client
    assert users["name"] == ("character varying(100)", True, None)
    assert users["role"] == ('"Role"', False, "'USER'::\"Role\"")
    assert users["balance"] == ("numeric(10,2)", False, "0")
    assert users["score"] == ("double precision", False, "0")
    assert users["views"] == ("bigint", False, "0")
    assert users["meta"] == ("jsonb", True, None)
    assert users["avatar"] == ("bytea", True, None)
    assert users["tags"] == ("text[]", True, None)
    assert users["roles"] == ('"Role"[]', True, None)
    assert users["created_at"] == ("timestamp(3) without time zone", False, "CURRENT_TIMESTAMP")
    assert users["updated_at"] == ("timestamp(3) without time zone", False, None)
    profile_id = (await columns(conn, pg_schema, "profiles"))["id"]
    assert profile_id[:2] == ("integer", False)
    assert str(profile_id[2]).startswith("nextval('profiles_id_seq'")  # SERIAL
    join = await columns(conn, pg_schema, "_CategoryToPost")
    assert join == {"A": ("integer", False, None), "B": ("text", False, None)}


async def test_foreign_keys_use_prisma_names_and_actions(
    datamodel_of: DatamodelOf, target: Target, conn: Connection, pg_schema: str
) -> None:
    await run_push(datamodel_of(TEST_SCHEMA.read_text(), full=True), target)

    rows = await conn.fetch(
        """
        SELECT con.conname, pg_get_constraintdef(con.oid) AS def FROM pg_constraint con
        WHERE con.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
          AND con.contype = 'f'
        """,
        pg_schema,
    )
    fks = {str(r["conname"]): str(r["def"]) for r in rows}
    assert fks["comments_author_id_fkey"] == (
        "FOREIGN KEY (author_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE SET NULL"
    )
    assert fks["comments_parent_id_fkey"].endswith("ON UPDATE CASCADE ON DELETE SET NULL")
    assert fks["posts_author_id_fkey"].endswith("ON UPDATE CASCADE ON DELETE CASCADE")
    assert fks["_CategoryToPost_A_fkey"] == (
        'FOREIGN KEY ("A") REFERENCES categories(id) ON UPDATE CASCADE ON DELETE CASCADE'
    )
    assert len(fks) == 12
