"""The cache is never a single point of failure: `migrate` alone serves pages, and a cache that
is down (the database cache's table missing, Redis stopped) makes pages slower, never broken,
and is logged once rather than on every request."""

import contextlib
import logging
import os

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from config.cache import create_database_cache_tables
from tests.factories import make_hotspot, make_organisation, make_session

pytestmark = pytest.mark.django_db

MISSING_TABLE = {
    "default": {
        "BACKEND": "config.cache.FailSoftCache",
        "OPTIONS": {
            "CACHE": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "cache_table_nobody_created",
            }
        },
    }
}
# Nothing listens on port 1: every Redis call is refused.
REDIS_DOWN = {
    "default": {
        "BACKEND": "config.cache.FailSoftCache",
        "OPTIONS": {
            "CACHE": {
                "BACKEND": "config.cache.RedisCache",  # as settings build it from CACHE_URL
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
    }
}


@pytest.fixture
def hotspot(home):
    hotspot = make_hotspot(make_organisation("Aarhus Kommune"), "Dokk1")
    make_session(hotspot)
    return hotspot


def _cache_warnings(records) -> list[str]:
    return [r.getMessage() for r in records if r.name == "config.cache"]


@pytest.mark.parametrize("caches_setting", [MISSING_TABLE, REDIS_DOWN], ids=["no-table", "redis"])
def test_pages_are_served_when_the_cache_is_down_and_it_is_logged_once(
    client, hotspot, caches_setting, caplog
):
    with override_settings(CACHES=caches_setting), caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert client.get("/").status_code == 200
            assert client.get(hotspot.url).status_code == 200
    warnings = _cache_warnings(caplog.records)
    assert len(warnings) == 1, warnings
    assert "served without it" in warnings[0]


def test_a_failing_cache_reads_as_a_miss_and_counts_as_missing_keys():
    with override_settings(CACHES=REDIS_DOWN):
        cache = caches["default"]
        assert cache.get("anything", "default") == "default"
        assert cache.add("key", 1) is False
        cache.set("key", 1)  # does nothing, raises nothing
        with pytest.raises(ValueError):
            cache.incr("key")
        with pytest.raises(ValueError):
            cache.count("key", 60)  # the rate limit then counts with incr/add (bookings)


def test_a_rate_limit_in_a_failing_cache_lets_requests_through():
    from bookings.ratelimit import spend

    with override_settings(CACHES=REDIS_DOWN, RATELIMIT_STORE="cache"):
        assert all(spend("book", "10.0.0.1") for _ in range(50))


# A real table is created and dropped (DDL), so the test runs outside a transaction; serialized
# rollback, like every transactional test here, so the page tree survives for the next test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrate_creates_the_database_cache_table_even_behind_the_wrapper():
    setting = {
        "default": {
            "BACKEND": "config.cache.FailSoftCache",
            "OPTIONS": {
                "CACHE": {
                    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                    "LOCATION": "cache_made_by_migrate",
                }
            },
        }
    }
    with override_settings(CACHES=setting):
        try:
            create_database_cache_tables(using="default")
            assert "cache_made_by_migrate" in connection.introspection.table_names()
            cache = caches["default"]
            cache.set("crisis:banners", ["works"])
            assert cache.get("crisis:banners") == ["works"]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS cache_made_by_migrate")


@pytest.mark.slow
def test_migrate_alone_gives_a_working_site(tmp_path, django_db_setup):
    """A database that `manage.py migrate` made and nothing else (no createcachetable): the
    directory answers 200 and the crisis banner's cache works.

    The database is a copy of this process's test database. That one holds what `migrate`
    alone makes from empty on the suite's own engine under the test settings, which have no
    database cache, so nothing made the cache table (it is loaded from the snapshot of that
    result, which tests/test_db_snapshot.py compares with a fresh `migrate` in every run, or
    migrated when the snapshot is out of date). `manage.py migrate` is
    then run on the copy with the development settings, as an operator runs it: it has no
    migration left to apply, and must still leave the cache table behind. The copy saves the
    half minute of applying every migration a second time."""
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    manage = Path(__file__).resolve().parents[2] / "manage.py"
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    with _copy_of_the_test_database(tmp_path, on_postgres) as database_url:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")},
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": database_url,
        }
        migrate = subprocess.run(
            [sys.executable, str(manage), "migrate", "--noinput"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert migrate.returncode == 0, migrate.stderr
        assert "No migrations to apply" in migrate.stdout, migrate.stdout
        serve = subprocess.run(
            [sys.executable, str(manage), "shell", "-c", SERVE_ONE_PAGE],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert serve.returncode == 0, serve.stdout + serve.stderr
    assert serve.stdout.split()[-2:] == ["200", "cached"], serve.stdout + serve.stderr


@contextlib.contextmanager
def _copy_of_the_test_database(tmp_path, on_postgres: bool):
    """This process's migrated test database, copied: a file for the SQLite run of the suite,
    a new PostgreSQL database made from it as a template (dropped afterwards) for the
    PostgreSQL run, so each run checks its own engine. The copy has no cache table (asserted)."""
    from django.db import connection

    server = connection.settings_dict
    connection.close()  # a template database must have no other session
    if not on_postgres:
        import sqlite3

        copy = tmp_path / "migrated.sqlite3"
        with (
            contextlib.closing(sqlite3.connect(server["NAME"])) as source,
            contextlib.closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)
            tables = {row[0] for row in target.execute("SELECT name FROM sqlite_master")}
        assert "digihjaelp_cache" not in tables
        yield f"sqlite:///{copy}"
        return
    import psycopg

    from tests.db_snapshot import server_url

    url = server_url(server)
    name = f"dh_migrate_alone_{os.getpid()}"
    with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{server["NAME"]}"')
    try:
        with psycopg.connect(f"{url}/{name}") as copied:
            assert copied.execute("SELECT to_regclass('digihjaelp_cache')").fetchone()[0] is None
        yield f"{url}/{name}"
    finally:
        with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SERVE_ONE_PAGE = """
from django.core.cache import cache
from django.test import Client
print(Client().get("/", HTTP_HOST="localhost").status_code)
cache.set("probe", "cached")
print(cache.get("probe"))
"""
