"""Reading the datasource block's `url` / `directUrl`, and where the client and push connect."""

from __future__ import annotations

import pytest

from orm.datasource import DatasourceError, DatasourceUrls, UrlSource, parse_datasource
from orm.push.errors import PushError
from orm.push.target import push_target
from orm.runtime.url import Overrides, SettingsError, resolve_settings
from orm.schema_compat import strip_datasource_urls

SCHEMA = """
generator client {
  provider = "prisma-client-py"
  url      = env("NOT_A_DATASOURCE")
}

datasource db {
  provider  = "postgresql"
  url       = env("APP_DB") // the app's pool
  directUrl = "postgresql://admin:s3cret@db:5432/app?schema=a//b"
  // url = env("COMMENTED_OUT")
}
"""


def test_names_and_literals_are_read_from_the_datasource_block_only() -> None:
    found = parse_datasource(SCHEMA)
    assert found.url == UrlSource(env="APP_DB")
    assert found.direct_url == UrlSource(value="postgresql://admin:s3cret@db:5432/app?schema=a//b")
    assert parse_datasource('datasource db {\n  provider = "postgresql"\n}\n') == DatasourceUrls()
    assert "APP_DB" not in strip_datasource_urls(SCHEMA)


def test_the_generator_gets_them_back_unchanged_through_json() -> None:
    found = parse_datasource(SCHEMA)
    assert DatasourceUrls.from_json(found.to_json()) == found
    assert DatasourceUrls.from_json("") == DatasourceUrls()
    with pytest.raises(DatasourceError, match="ORM_DATASOURCE"):
        DatasourceUrls.from_json('{"url": {"nothing": 1}}')


def test_an_unreadable_url_line_is_refused_naming_it() -> None:
    with pytest.raises(DatasourceError, match=r"`url` must be env\(\"NAME\"\)"):
        parse_datasource("datasource db {\n  url = env(APP_DB)\n}\n")
    with pytest.raises(DatasourceError) as unquoted:
        parse_datasource("datasource db {\n  url = postgresql://a:s3cret@db/app\n}\n")
    assert "s3cret" not in str(unquoted.value)


def _primary(url: UrlSource | None, environ: dict[str, str]) -> str:
    settings = resolve_settings(None, Overrides(), environ=environ, schema_url=url)
    return settings.primary.dsn


def test_the_client_reads_the_variable_the_schema_names() -> None:
    env = {"APP_DB": "postgresql://app@db/one", "DATABASE_URL": "postgresql://app@db/wrong"}
    assert _primary(UrlSource(env="APP_DB"), env) == "postgresql://app@db/one"
    assert _primary(None, env) == "postgresql://app@db/wrong"
    assert _primary(UrlSource(value="postgresql://app@db/lit"), env) == "postgresql://app@db/lit"
    explicit = resolve_settings(
        {"url": "postgresql://app@db/given"}, Overrides(), environ={}, schema_url=UrlSource("X")
    )
    assert explicit.primary.dsn == "postgresql://app@db/given"


def test_an_unset_variable_is_named_in_the_error() -> None:
    with pytest.raises(SettingsError, match='url = env\\("APP_DB"\\), and APP_DB is not set'):
        _primary(UrlSource(env="APP_DB"), {"DATABASE_URL": "postgresql://app@db/wrong"})


def test_push_goes_to_direct_url_then_url_then_the_old_variables() -> None:
    env = {
        "APP_DB": "postgresql://app@db/pooled?schema=s1",
        "APP_DIRECT": "postgresql://app@db/direct?schema=s2",
        "DIRECT_URL": "postgresql://app@db/old-direct",
        "DATABASE_URL": "postgresql://app@db/old",
    }
    both = DatasourceUrls(url=UrlSource(env="APP_DB"), direct_url=UrlSource(env="APP_DIRECT"))
    assert push_target(both, env).schema == "s2"
    assert push_target(DatasourceUrls(url=UrlSource(env="APP_DB")), env).schema == "s1"
    assert push_target(DatasourceUrls(), env).dsn == "postgresql://app@db/old-direct"
    with pytest.raises(PushError, match=r'APP_DIRECT is not set.*directUrl = env\("APP_DIRECT"\)'):
        push_target(both, {"APP_DB": env["APP_DB"]})


def test_a_literal_url_never_shows_its_password() -> None:
    literal = DatasourceUrls(url=UrlSource(value="mysql://admin:s3cret@db/app"))
    with pytest.raises(PushError) as refused:
        push_target(literal, {})
    assert "s3cret" not in str(refused.value)
    assert "datasource `url`" in str(refused.value)
    target = push_target(DatasourceUrls(url=UrlSource(value="postgresql://a:s3cret@db/app")), {})
    assert "s3cret" not in target.display
    with pytest.raises(SettingsError) as bad:
        _primary(UrlSource(value="mysql://admin:s3cret@db/app"), {})
    assert "s3cret" not in str(bad.value)
