"""Datasource settings: URL parameters, defaults, explicit overrides, replicas. No I/O."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orm.runtime.url import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_CONNECTION_LIMIT,
    DEFAULT_POOL_TIMEOUT,
    DEFAULT_STATEMENT_TIMEOUT_MS,
    Overrides,
    SettingsError,
    parse_url,
    resolve_settings,
)

BASE = "postgresql://app:secret@db.internal:5433/dreams"


def test_defaults_come_from_the_domain_documents() -> None:
    settings = parse_url(BASE)
    assert settings.connection_limit == DEFAULT_CONNECTION_LIMIT == 25
    assert settings.pool_timeout == DEFAULT_POOL_TIMEOUT == 30
    assert settings.connect_timeout == DEFAULT_CONNECT_TIMEOUT == 10
    assert settings.statement_timeout_ms == DEFAULT_STATEMENT_TIMEOUT_MS == 30_000
    assert settings.dsn == BASE
    assert settings.statement_cache_size > 0


def test_url_parameters_are_read_and_stripped_before_asyncpg_sees_them() -> None:
    settings = parse_url(
        f"{BASE}?schema=app&connection_limit=7&pool_timeout=2.5&connect_timeout=3"
        "&statement_timeout=1500&pgbouncer=true&application_name=worker&sslmode=disable"
    )
    assert settings.dsn == f"{BASE}?sslmode=disable"
    assert settings.connection_limit == 7
    assert settings.pool_timeout == 2.5
    assert settings.connect_timeout == 3
    assert settings.statement_timeout_ms == 1500
    assert settings.pgbouncer is True
    assert settings.statement_cache_size == 0
    assert settings.server_settings() == {"search_path": '"app"', "application_name": "worker"}
    assert parse_url(f"{BASE}?statement_timeout=1500&schema=app").server_settings() == {
        "statement_timeout": "1500",
        "search_path": '"app"',
    }


def test_statement_cache_size_keeps_prepared_statements_through_a_new_pgbouncer() -> None:
    # PgBouncer 1.21+ with `max_prepared_statements` keeps named statements in transaction mode.
    kept = parse_url(f"{BASE}?pgbouncer=true&statement_cache_size=100")
    assert kept.pgbouncer is True
    assert kept.statement_cache_size == 100
    assert kept.dsn == BASE  # not sent to asyncpg as a server setting
    assert "statement_timeout" not in kept.server_settings()
    assert parse_url(f"{BASE}?statement_cache_size=0").statement_cache_size == 0


def test_explicit_arguments_win_over_the_url() -> None:
    settings = resolve_settings(
        {"url": f"{BASE}?connection_limit=7&pool_timeout=9&statement_timeout=100"},
        Overrides(
            connection_limit=3,
            pool_timeout=timedelta(seconds=4),
            connect_timeout=1.5,
            statement_timeout=timedelta(seconds=2),
        ),
        environ={},
    )
    primary = settings.primary
    assert (primary.connection_limit, primary.pool_timeout, primary.connect_timeout) == (3, 4, 1.5)
    assert primary.statement_timeout_ms == 2000


def test_database_url_comes_from_the_environment_when_not_given() -> None:
    settings = resolve_settings(None, Overrides(), environ={"DATABASE_URL": BASE})
    assert settings.primary.dsn == BASE
    assert settings.replicas == ()


def test_missing_url_says_how_to_provide_one() -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        resolve_settings(None, Overrides(), environ={})


def test_replicas_inherit_the_primarys_settings_unless_their_url_overrides_them() -> None:
    settings = resolve_settings(
        {"url": f"{BASE}?schema=app&connection_limit=5"},
        Overrides(pool_timeout=1),
        environ={
            "DATABASE_REPLICA_URLS": "postgresql://r1/dreams, postgresql://r2/dreams?connection_limit=9"
        },
    )
    first, second = settings.replicas
    assert first.dsn == "postgresql://r1/dreams"
    assert (first.schema, first.connection_limit, first.pool_timeout) == ("app", 5, 1)
    assert (second.schema, second.connection_limit) == ("app", 9)


def test_replica_argument_wins_over_the_environment() -> None:
    settings = resolve_settings(
        {"url": BASE},
        Overrides(),
        replica_urls=["postgresql://only/dreams"],
        environ={"DATABASE_REPLICA_URLS": "postgresql://ignored/dreams"},
    )
    assert [r.dsn for r in settings.replicas] == ["postgresql://only/dreams"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "postgresql://"),
        (f"{BASE}?connection_limit=lots", "connection_limit=lots"),
        (f"{BASE}?connection_limit=0", "at least 1"),
        (f"{BASE}?pool_timeout=-1", "negative"),
        (f"{BASE}?pgbouncer=maybe", "true or false"),
        (f"{BASE}?statement_cache_size=1.5", "whole number"),
        (f"{BASE}?statement_cache_size=-1", "negative"),
    ],
)
def test_bad_urls_are_refused_with_the_parameter_named(url: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        parse_url(url)


def test_schema_names_are_quoted_for_search_path() -> None:
    assert parse_url(f"{BASE}?schema=My%22Schema").server_settings()["search_path"] == (
        '"My""Schema"'
    )


def test_redacted_hides_the_password() -> None:
    assert parse_url(BASE).redacted() == "postgresql://app:***@db.internal:5433/dreams"
