"""Rows a whole test module shares, built once: what Django's TestCase.setUpTestData does, for
pytest.

A module-scoped fixture builds its rows inside a transaction that stays open while the module's
tests run; each test's own transaction (pytest-django's) is then a savepoint within it, so what a
test writes is rolled back to the shared rows, and at the end of the module the shared rows go
too. Each test gets its own deep copy of the Python objects, as setUpTestData's do, so a test that
changes an object in memory changes nothing for the next.

    @pytest.fixture(scope="module")
    def _shared_tenants(django_db_setup, django_db_blocker, request):
        yield from shared_rows(django_db_blocker, request, lambda: {"aarhus": ...})

    @pytest.fixture
    def tenants(_shared_tenants, db):
        return per_test(_shared_tenants)

The module fixture's name starts with SHARED (tests/conftest.py runs a module's tests that use it
after those that do not: the rows stay until the module's last test).
Only for database tests that are not transactional (those empty the database after each test);
per_test refuses the others. Under xdist each process builds the rows once for the tests of the
module it runs."""

import copy
import itertools
import sys

from django.db import connection, transaction

SHARED = "_shared_"


def after_the_tests_without_them(items):
    """`items` with each run of one module's tests reordered: those that use shared rows last."""
    ordered = []
    for _, run in itertools.groupby(items, key=lambda item: item.path):
        run = list(run)
        run.sort(key=lambda item: any(name.startswith(SHARED) for name in item.fixturenames))
        ordered.extend(run)
    return ordered


def refuse_transactional_tests_beside_them(items):
    """A module whose tests use shared rows must have no transactional test: pytest keeps a
    module's fixtures when its last test of one kind is followed by its first of the other, and
    a transactional test must never run inside the shared rows' open transaction."""
    uses, transactional = set(), set()
    for item in items:
        if any(name.startswith(SHARED) for name in item.fixturenames):
            uses.add(item.path)
        marker = item.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("transaction")) or {
            "transactional_db",
            "live_server",
        } & set(item.fixturenames):
            transactional.add(item.path)
    both = sorted(str(path) for path in uses & transactional)
    if both:
        raise RuntimeError(
            f"{', '.join(both)}: shared rows and transactional tests in one module. Give the "
            "transactional tests fixtures of their own (see tests/meetings/test_concurrency.py)."
        )


def shared_rows(django_db_blocker, request, build):
    """Yields what `build()` returns, built in a transaction held open until the fixture ends
    (then rolled back). Pages are built with or without Wagtail's indexes as the module's tests
    would build them (tests/conftest.py)."""
    from tests.conftest import page_records, page_records_kept_for

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with page_records(keep=page_records_kept_for(request.node)):
                rows = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield rows
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def module_rows(name: str, build):
    """The module-scoped fixture of the docstring above in one line, for a module whose rows
    are one call: `_shared_session = module_rows("_shared_session", build)`."""
    import pytest

    if not name.startswith(SHARED):
        raise ValueError(f"{name}: the name of shared rows starts with {SHARED}")

    @pytest.fixture(scope="module", name=name)
    def rows(django_db_setup, django_db_blocker, request):
        yield from shared_rows(django_db_blocker, request, build)

    return rows


def per_test(shared):
    """The shared objects for one test: a deep copy (model instances included)."""
    # The innermost atomic block is the test's own (Django marks those it opens for a TestCase).
    blocks = connection.atomic_blocks
    if len(blocks) < 2 or not getattr(blocks[-1], "_from_testcase", False):
        raise RuntimeError(
            "Shared rows are for database tests that are not transactional: a transactional "
            "test empties the database after it."
        )
    return copy.deepcopy(shared)
