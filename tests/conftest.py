import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# such a thread unless told it is fine (it is: the test owns that thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_locmem_state(settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    from tests.factories import home_page

    return home_page()


def pytest_sessionfinish(session, exitstatus):
    """Django removes a SQLite test database's file but not its WAL and shared-memory files:
    leave nothing behind (each pytest process, xdist workers included, cleans its own)."""
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    name = (database.get("TEST") or {}).get("NAME")
    if name:
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
