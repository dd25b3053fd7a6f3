import os
from contextlib import contextmanager

import pytest

from tests import shared_rows

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# such a thread unless told it is fine (it is: the test owns that thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # Emptying and refilling the database around each transactional test, done for what a test
    # database holds (tests/fast_rollback.py); on by default, FAST_ROLLBACK=0 for Django's own.
    if os.environ.get("FAST_ROLLBACK", "1") != "0":
        from tests import fast_rollback

        fast_rollback.install()
    # Test databases loaded from a snapshot of the migrations' result rather than migrated one
    # by one (tests/db_snapshot.py); TEST_DB_SNAPSHOT=0 migrates them as Django does.
    from tests import db_snapshot

    db_snapshot.install()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (database tests, then transactional ones, then the rest):
    the few tests marked slow first, so each starts while the other process still has short
    tests to run. Last, a 65-second `migrate` in a subprocess kept one process busy for a
    minute after the other had finished. Every slow test is a database test that is not
    transactional, or needs no test database at all, so moving it up changes nothing else.

    Keep xdist's default ("load") scheduling, which hands each process its tests in this
    order. A transactional test leaves the database empty (flushed) until the next one restores
    it, so a database test must never follow one in the same process: "worksteal" scheduling
    does exactly that, and 300 tests then found no home page.

    Then, within each run of one module's tests, those that use the module's shared rows
    (tests/shared_rows.py) after those that do not: once built, the rows stay until the
    module's last test, and a test that did not ask for them must not find them."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    shared_rows.refuse_transactional_tests_beside_them(items)
    items[:] = shared_rows.after_the_tests_without_them(items)


@pytest.fixture
def one_rate_limit_window(monkeypatch):
    """The rate limiter counts in fixed windows of the clock (ten minutes from every :00, :10 …,
    bookings/ratelimit.py). A test that spends a budget and then expects a refusal failed when
    its requests straddled a window's end (the budget started afresh at 01:00:00): for such a
    test the limiter's clock stands still."""
    import time
    from types import SimpleNamespace

    still = time.time()
    monkeypatch.setattr("bookings.ratelimit.time", SimpleNamespace(time=lambda: still))


@pytest.fixture(autouse=True)
def _fresh_locmem_state(settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


KEEPS_PAGE_INDEXES = frozenset({"admin_scoping"})


@pytest.fixture(autouse=True)
def _page_indexes(request):
    """Wagtail keeps two indexes of every page it saves: the admin's search index and the
    reference index ("used by"). Keeping them costs a third of building a test's page tree, and
    almost no test reads them, so a test keeps them only when it asks to
    (`@pytest.mark.page_indexes`). So does every test under a directory of
    KEEPS_PAGE_INDEXES: the admin-scoping tests prove that another organisation's pages never
    turn up in the admin's search or "used by" lists, which an empty index would make true for
    nothing. (The search index is switched off for every thread, a live server's too; no
    browser test searches the admin or reads "used by".)"""
    with page_records(keep=page_records_kept_for(request.node)):
        yield


def page_records_kept_for(node) -> bool:
    """Whether the tests of `node` (a test or a module) keep Wagtail's page indexes."""
    return bool(
        node.get_closest_marker("page_indexes") or KEEPS_PAGE_INDEXES.intersection(node.path.parts)
    )


@contextmanager
def page_records(*, keep: bool):
    """Pages saved inside keep Wagtail's indexes and "created" log entries only if `keep`."""
    if keep:
        yield
        return
    from django.db.models.signals import post_save
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from tests import factories

    indexed = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in indexed:
        post_save.disconnect(post_save_signal_handler, sender=model)
    factories.keeps_page_records = False
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        factories.keeps_page_records = True
        for model in indexed:
            post_save.connect(post_save_signal_handler, sender=model)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and before it drops the test databases: end every other session on
    them. The live server's request threads are daemons that may still hold a connection when
    the session ends right after a browser test, and PostgreSQL refuses to drop a database
    that others are "accessing" (the database would then be left behind)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


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
