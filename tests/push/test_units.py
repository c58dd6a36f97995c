"""Pure rules, no database: Prisma's names, operator classes, safe casts, SQL splitting."""

from __future__ import annotations

import pytest

from orm.push.defaults import is_constant, normalise
from orm.push.desired import operator_class
from orm.push.diff_columns import is_widening
from orm.push.model import ColumnType
from orm.push.names import foreign_key_name, index_name, primary_key_name, unique_name
from orm.push.plan import Step
from orm.push.report import tally
from orm.push.sqlsplit import split_statements

LONG_TABLE = "a_table_with_quite_a_long_name_for_testing"  # 42 bytes
LONG_COLUMN = "and_an_even_longer_column_name_for_good_measure"  # 47 bytes


def test_default_names() -> None:
    assert primary_key_name("users") == "users_pkey"
    assert unique_name("people", ["first_name", "last_name"]) == "people_first_name_last_name_key"
    assert index_name("posts", ["author_id", "created_at"]) == "posts_author_id_created_at_idx"
    assert foreign_key_name("comments", ["post_id"]) == "comments_post_id_fkey"


def test_long_names_are_cut_to_63_bytes_keeping_the_suffix() -> None:
    stem = f"{LONG_TABLE}_{LONG_COLUMN}"
    assert index_name(LONG_TABLE, [LONG_COLUMN]) == stem[:59] + "_idx"
    assert unique_name(LONG_TABLE, [LONG_COLUMN]) == stem[:59] + "_key"
    assert foreign_key_name(LONG_TABLE, [LONG_COLUMN]) == stem[:58] + "_fkey"
    assert primary_key_name("t" * 70) == "t" * 58 + "_pkey"
    assert len(index_name(LONG_TABLE, [LONG_COLUMN]).encode()) == 63


def test_names_at_the_limit() -> None:
    assert index_name("t" * 57, ["c"]) == "t" * 57 + "_c_idx"  # 59-byte stem: 63 bytes in all
    assert index_name("t" * 58, ["c"]) == "t" * 58 + "__idx"  # 60-byte stem: cut to 59


def test_multibyte_names_are_cut_on_a_character_boundary() -> None:
    name = index_name("é" * 40, ["x"])
    assert len(name.encode()) <= 63
    assert name.endswith("_idx")


@pytest.mark.parametrize(
    ("prisma", "postgres"),
    [
        ("JsonbPathOps", "jsonb_path_ops"),
        ("JsonbOps", "jsonb_ops"),
        ("ArrayOps", "array_ops"),
        ("InetOps", "inet_ops"),
        ("Int4MinMaxOps", "int4_minmax_ops"),
        ("TimestampTzMinMaxMultiOps", "timestamptz_minmax_multi_ops"),
        ("VarBitMinMaxOps", "varbit_minmax_ops"),
        ("gin_trgm_ops", "gin_trgm_ops"),
        (None, None),
    ],
)
def test_operator_classes(prisma: str | None, postgres: str | None) -> None:
    assert operator_class(prisma) == postgres


def _t(canon: str, is_list: bool = False) -> ColumnType:
    return ColumnType(canon, canon, is_list)


@pytest.mark.parametrize(
    ("old", "new", "safe"),
    [
        ("character varying(100)", "character varying(200)", True),
        ("character varying(200)", "character varying(100)", False),
        ("character varying(100)", "text", True),
        ("text", "character varying(100)", False),
        ("integer", "bigint", True),
        ("bigint", "integer", False),
        ("numeric(10,2)", "numeric(12,2)", True),
        ("numeric(10,2)", "numeric(10,4)", False),
        ("numeric(10,2)", "numeric(65,30)", True),
        ("real", "double precision", True),
        ("timestamp(3) without time zone", "timestamp(6) without time zone", True),
        ("timestamp(3) without time zone", "timestamp(3) with time zone", False),
        ("text", "integer", False),
    ],
)
def test_widening(old: str, new: str, safe: bool) -> None:
    assert is_widening(_t(old), _t(new)) is safe


def test_list_changes_are_never_widening() -> None:
    assert not is_widening(_t("text"), _t("text", is_list=True))


def test_split_statements_respects_quotes_and_bodies() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE INDEX CONCURRENTLY a ON t (x);
    DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;
    INSERT INTO t VALUES ('a;b', "c;d") ; /* trailing; */
    """
    statements = split_statements(script)

    assert len(statements) == 3
    assert statements[1] == "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$"
    assert statements[2].endswith("""('a;b', "c;d")""")


@pytest.mark.parametrize(
    ("stored", "declared"),
    [
        ("'web'::character varying", "'web'"),
        ("'-5'::integer", "-5"),
        ("'USER'::\"Role\"", "'USER'"),
        ("ARRAY['a'::text, 'b'::text]", "ARRAY['a', 'b']::TEXT[]"),
        ("'{}'::jsonb", "'{}'"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
    ],
)
def test_stored_defaults_normalise_to_the_declared_form(stored: str, declared: str) -> None:
    assert normalise(stored) == normalise(declared)


def test_only_constants_are_evaluated() -> None:
    assert is_constant("'{\"a\": 1}'")
    assert is_constant("ARRAY['a', 'b']::TEXT[]")
    assert not is_constant("nextval('t_id_seq'::regclass)")
    assert not is_constant("CURRENT_TIMESTAMP")
    assert not is_constant("gen_random_uuid()")


def test_tally_counts_changes_by_sign_and_kind() -> None:
    steps = [
        Step("+ table a (2 columns)", ()),
        Step("+ table b (1 columns)", ()),
        Step("+ unique index a_x_key on a (x)", ()),
        Step("- column a.y", ()),
        Step("~ column a.z", ()),
    ]

    assert tally(steps) == "+2 tables, +1 unique index, -1 column, ~1 column"
