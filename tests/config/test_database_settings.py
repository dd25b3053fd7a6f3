"""Which connection options the environment gives: prepared statements only where a connection
lives long enough to use them again, and never where an operator turned them off."""

import pytest

from config.settings.base import PREPARE_THRESHOLD, database_from_env

POSTGRES = "postgres://postgres@127.0.0.1:5432/example"


@pytest.mark.parametrize(
    ("url", "environment", "prepared"),
    [
        (POSTGRES, {"CONN_MAX_AGE": "60"}, True),
        (POSTGRES, {"CONN_MAX_AGE": "0"}, False),  # a connection per request
        (POSTGRES, {"CONN_MAX_AGE": "60", "DATABASE_PREPARED_STATEMENTS": "0"}, False),
        (POSTGRES, {"CONN_MAX_AGE": "0", "DATABASE_PREPARED_STATEMENTS": "1"}, True),
        ("sqlite:////tmp/example.sqlite3", {"CONN_MAX_AGE": "60"}, False),
    ],
)
def test_prepared_statements_follow_the_connection_lifetime(
    monkeypatch, url, environment, prepared
):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    options = database_from_env()["OPTIONS"]
    assert options.get("prepare_threshold") == (PREPARE_THRESHOLD if prepared else None)
