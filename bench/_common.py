"""What several bench scripts share (not a bench itself: run_all.py skips names starting "_")."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Settings for serving the app under gunicorn as in production (DEBUG off, the real middleware,
# CSRF, sessions), minus what a bench on 127.0.0.1 cannot have: TLS and collectstatic.
PRODUCTION_BENCH_SETTINGS = """
from config.settings.production import *  # noqa: F403
from config.settings.production import DATABASES, INSTALLED_APPS
# Wagtail's database search backend needs this on PostgreSQL (system check postgres.E005).
if "postgresql" in DATABASES["default"]["ENGINE"] and "django.contrib.postgres" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]
# Plain static storage: the bench does not run collectstatic, pages only need the URLs.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""


def destroy_bench_database(connection, old_name: str) -> None:
    """Drop the database a bench made with create_test_db, and SQLite's WAL files with it
    (Django removes the database file only)."""
    test_name = connection.settings_dict["NAME"]
    connection.creation.destroy_test_db(old_name, verbosity=0)
    if connection.vendor == "sqlite":
        for suffix in ("-wal", "-shm"):
            Path(f"{test_name}{suffix}").unlink(missing_ok=True)


def server_environment(settings_dir: str, settings_module: str, database_url: str, **extra) -> dict:
    """The environment of a bench's gunicorn and workers: its own settings module (next to the
    code on PYTHONPATH), its database, a fresh secret, loopback hosts, quiet logs."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "60",
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": os.pathsep.join([settings_dir, str(ROOT)]),
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def manage(env: dict, *args, timeout: float) -> None:
    """Run a manage.py command for the bench, quietly; a failure stops the bench."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        timeout=max(timeout, 5),
        stdout=subprocess.DEVNULL,
    )
