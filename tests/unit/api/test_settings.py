"""Settings from the environment: defaults, parsing, and errors that say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Environment, MonitoringAccess, Settings, SettingsError


def test_defaults_give_a_development_server() -> None:
    settings = Settings.from_env({})
    assert settings.database_url is None
    assert settings.redis_url is None
    assert settings.data_dir == Path(".data/pg")
    assert settings.db_connection_limit == 25
    assert settings.db_statement_timeout_ms == 30_000
    assert settings.monitoring is MonitoringAccess.OPEN


def test_values_are_parsed_by_type() -> None:
    settings = Settings.from_env(
        {
            "PORT": "9000",
            "CACHE_ENABLED": "off",
            "RESPONSE_TIME_SAMPLE_RATE": "0.5",
            "DATABASE_REPLICA_URLS": "postgresql://a/x, postgresql://b/x",
            "DATA_DIR": "/srv/pg",
            "REDIS_URL": "  ",
        }
    )
    assert settings.port == 9000
    assert settings.cache_enabled is False
    assert settings.response_time_sample_rate == 0.5
    assert settings.database_replica_urls == ("postgresql://a/x", "postgresql://b/x")
    assert settings.data_dir == Path("/srv/pg")
    assert settings.redis_url is None


def test_production_restricts_monitoring_unless_told_otherwise() -> None:
    production = Settings.from_env({"ENVIRONMENT": "production"})
    assert production.environment is Environment.PRODUCTION
    assert production.monitoring is MonitoringAccess.ADMIN
    opened = Settings.from_env({"ENVIRONMENT": "production", "MONITORING_ACCESS": "open"})
    assert opened.monitoring is MonitoringAccess.OPEN


def test_metrics_stay_open_in_production_unless_told_otherwise() -> None:
    production = Settings.from_env({"ENVIRONMENT": "production"})
    closed = Settings.from_env({"ENVIRONMENT": "production", "METRICS_ACCESS": "admin"})
    assert production.metrics_access is MonitoringAccess.OPEN
    assert closed.metrics_access is MonitoringAccess.ADMIN


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PORT", "eighty", "PORT='eighty' is not valid"),
        ("CACHE_ENABLED", "maybe", "expected true/false"),
        ("RESPONSE_TIME_SAMPLE_RATE", "2", "expected a number from 0 to 1"),
        ("ENVIRONMENT", "staging", "ENVIRONMENT='staging' is not valid"),
    ],
)
def test_bad_values_say_which_variable_to_fix(name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError, match=expected) as raised:
        Settings.from_env({name: value})
    assert f"unset {name}" in str(raised.value)


def test_every_setting_is_documented() -> None:
    rows = Settings.documentation()
    assert [r[0] for r in rows][:3] == ["ENVIRONMENT", "DATABASE_URL", "DATABASE_REPLICA_URLS"]
    assert all(meaning for _, _, meaning in rows)


def test_production_closes_what_development_leaves_open() -> None:
    development = Settings.from_env({})
    production = Settings.from_env({"ENVIRONMENT": "production"})
    reopened = Settings.from_env(
        {
            "ENVIRONMENT": "production",
            "GRAPHIQL": "on",
            "INTROSPECTION": "true",
            "SUGGESTIONS": "yes",
            "JSON_ONLY": "off",
            "TRUSTED_DOCUMENTS": "/srv/trusted.json",
        }
    )
    opened = (
        development.serves_graphiql,
        development.allows_introspection,
        development.shows_suggestions,
        not development.requires_json,
    )
    closed = (
        production.serves_graphiql,
        production.allows_introspection,
        production.shows_suggestions,
        not production.requires_json,
    )
    assert opened == (True, True, True, True)
    assert closed == (False, False, False, False)
    assert reopened.serves_graphiql
    assert reopened.allows_introspection
    assert reopened.shows_suggestions
    assert not reopened.requires_json
    assert reopened.trusted_documents == Path("/srv/trusted.json")
    assert Settings.from_env({"JSON_ONLY": "1"}).requires_json
