"""SchemaMeta from the test schema's DMMF: relations, keys, and the DDL its tables produce."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from orm.runtime.meta import SchemaMeta
from orm.runtime.types import JsonValue
from tests.unit.orm.runtime.query.support import SCHEMA, model


def _ddl(table_name: str) -> str:
    metadata = SCHEMA.sqlalchemy_metadata("s")
    table = metadata.tables[f"s.{table_name}"]
    return " ".join(str(CreateTable(table).compile(dialect=postgresql.dialect())).split())


def test_relation_kinds_and_keys() -> None:
    user, post, person = model("User"), model("Post"), model("Person")

    assert (user.relations["posts"].kind, user.relations["posts"].remote_fields) == (
        "inline_there",
        ("authorId",),
    )
    assert (post.relations["author"].kind, post.relations["author"].local_fields) == (
        "inline_here",
        ("authorId",),
    )
    assert person.relations["mentee"].kind == "inline_there"


def test_implicit_many_to_many_sides() -> None:
    categories = model("Post").relations["categories"]
    followers = model("Person").relations["followers"]
    following = model("Person").relations["following"]

    assert (categories.join_table, categories.join_local, categories.join_remote) == (
        "_CategoryToPost",
        "B",
        "A",
    )
    assert (followers.join_table, followers.join_local) == ("_Follows", "A")
    assert following.join_local == "B"


def test_compound_keys() -> None:
    assert model("Membership").compound_keys == {"userId_teamId": ("userId", "teamId")}
    assert model("Person").compound_keys == {"name_surname": ("firstName", "lastName")}
    assert model("Team").compound_keys == {"name_slug": ("name", "slug")}
    assert model("User").unique_sets == (("id",), ("email",))


def test_ddl_matches_prisma() -> None:
    users = _ddl("users")
    posts = _ddl("posts")
    join = _ddl("_CategoryToPost")

    assert "role s.\"Role\" DEFAULT 'USER' NOT NULL" in users
    assert "name VARCHAR(100)," in users
    assert "balance NUMERIC(10, 2) DEFAULT 0 NOT NULL" in users
    assert "tags TEXT[]," in users
    assert "created_at TIMESTAMP(3) WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL" in users
    assert "id TEXT NOT NULL" in users
    assert "CONSTRAINT users_email_key UNIQUE (email)" in users
    assert (
        "CONSTRAINT posts_author_id_fkey FOREIGN KEY(author_id) REFERENCES s.users (id) "
        "ON DELETE CASCADE ON UPDATE CASCADE"
    ) in posts
    assert '"A" INTEGER NOT NULL, "B" TEXT NOT NULL' in join
    assert 'CONSTRAINT "_CategoryToPost_AB_pkey" PRIMARY KEY ("A", "B")' in join
    assert "id SERIAL NOT NULL" in _ddl("profiles")


def test_optional_relations_default_to_set_null() -> None:
    assert (
        "FOREIGN KEY(author_id) REFERENCES s.users (id) ON DELETE SET NULL ON UPDATE CASCADE"
    ) in _ddl("comments")


def test_index_algorithms_and_sort_order() -> None:
    datamodel: dict[str, JsonValue] = {
        "models": [
            {
                "name": "Doc",
                "dbName": "docs",
                "primaryKey": None,
                "uniqueIndexes": [],
                "fields": [
                    {
                        "name": "id",
                        "kind": "scalar",
                        "type": "Int",
                        "isList": False,
                        "isRequired": True,
                        "isId": True,
                        "isUnique": False,
                        "hasDefaultValue": True,
                        "default": {"name": "autoincrement", "args": []},
                    },
                    {
                        "name": "tags",
                        "kind": "scalar",
                        "type": "String",
                        "isList": True,
                        "isRequired": True,
                        "isId": False,
                        "isUnique": False,
                        "hasDefaultValue": False,
                    },
                    {
                        "name": "at",
                        "dbName": "created_at",
                        "kind": "scalar",
                        "type": "DateTime",
                        "isList": False,
                        "isRequired": True,
                        "isId": False,
                        "isUnique": False,
                        "hasDefaultValue": False,
                        "nativeType": ["Timestamptz", ["6"]],
                    },
                ],
            }
        ],
        "enums": [],
        "indexes": [
            {
                "model": "Doc",
                "type": "normal",
                "dbName": "docs_tags_gin",
                "algorithm": "Gin",
                "fields": [{"name": "tags"}],
            },
            {"model": "Doc", "type": "normal", "fields": [{"name": "at", "sortOrder": "desc"}]},
        ],
    }
    metadata = SchemaMeta.from_datamodel(datamodel).sqlalchemy_metadata(None)
    indexes = sorted(
        " ".join(str(CreateIndex(i).compile(dialect=postgresql.dialect())).split())
        for i in metadata.tables["docs"].indexes
    )
    table = " ".join(
        str(CreateTable(metadata.tables["docs"]).compile(dialect=postgresql.dialect())).split()
    )

    assert indexes == [
        "CREATE INDEX docs_created_at_idx ON docs (created_at DESC)",
        "CREATE INDEX docs_tags_gin ON docs USING gin (tags)",
    ]
    assert "created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL" in table


def _enum_field(name: str, default: JsonValue, *, is_list: bool = False) -> JsonValue:
    return {
        "name": name,
        "kind": "enum",
        "type": "Level",
        "isList": is_list,
        "isRequired": True,
        "isId": False,
        "isUnique": False,
        "hasDefaultValue": True,
        "default": default,
    }


def test_mapped_enum_type_values_and_defaults() -> None:
    id_field: JsonValue = {
        "name": "id",
        "kind": "scalar",
        "type": "Int",
        "isList": False,
        "isRequired": True,
        "isId": True,
        "isUnique": False,
        "hasDefaultValue": False,
    }
    datamodel: dict[str, JsonValue] = {
        "enums": [
            {
                "name": "Level",
                "dbName": "level",
                "values": [{"name": "LOW", "dbName": "low"}, {"name": "HIGH", "dbName": None}],
            }
        ],
        "models": [
            {
                "name": "Lamp",
                "dbName": None,
                "primaryKey": None,
                "uniqueIndexes": [],
                "fields": [
                    id_field,
                    _enum_field("level", "LOW"),
                    _enum_field("levels", ["HIGH", "LOW"], is_list=True),
                ],
            }
        ],
    }
    schema = SchemaMeta.from_datamodel(datamodel)
    metadata = schema.sqlalchemy_metadata(None)
    dialect = postgresql.dialect()
    table = " ".join(str(CreateTable(metadata.tables["Lamp"]).compile(dialect=dialect)).split())

    assert schema.enums["Level"].db_values == {"LOW": "low", "HIGH": "HIGH"}
    assert schema.models["Lamp"].scalars["level"].enum is schema.enums["Level"]
    assert "level level DEFAULT 'low' NOT NULL" in table
    assert "levels level[] DEFAULT '{HIGH,low}'" in table
