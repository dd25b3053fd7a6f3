"""Rows shared by a module's tests (tests/shared_rows.py): each test finds them as built, whatever
the test before it changed, and a test that did not ask for them never finds them."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from hotspots.models import OrganisationPage
from tests.factories import make_organisation
from tests.shared_rows import (
    after_the_tests_without_them,
    per_test,
    refuse_transactional_tests_beside_them,
    shared_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _shared_organisation(django_db_setup, django_db_blocker, request):
    yield from shared_rows(
        django_db_blocker, request, lambda: make_organisation("Delt Kommune", phone="11 11 11 11")
    )


@pytest.fixture
def organisation(_shared_organisation, db):
    return per_test(_shared_organisation)


def test_a_test_without_the_shared_rows_finds_none(home):
    # The module runs this test before the ones asking for the organisation, wherever it is
    # written (tests/conftest.py), so the rows are not built yet.
    assert not OrganisationPage.objects.filter(title="Delt Kommune").exists()


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_finds_the_rows_as_built_and_may_change_them(organisation, attempt):
    assert organisation.phone == "11 11 11 11"
    assert OrganisationPage.objects.get(pk=organisation.pk).phone == "11 11 11 11"
    # Changed in the database and in memory; the next attempt must not see either.
    organisation.phone = f"22 22 22 2{attempt}"
    organisation.save()


def test_each_test_gets_its_own_copy_of_the_objects(organisation, _shared_organisation):
    assert organisation == _shared_organisation
    assert organisation is not _shared_organisation


def test_the_tests_using_shared_rows_run_last_within_their_module():
    def item(module, *fixtures):
        return SimpleNamespace(path=Path(module), fixturenames=list(fixtures), name=fixtures)

    first = item("a.py", "db", "_shared_world")
    second = item("a.py", "db")
    third = item("b.py", "_shared_places")
    fourth = item("b.py", "client")
    fifth = item("a.py", "db")
    ordered = after_the_tests_without_them([first, second, third, fourth, fifth])
    # Within each run of one module the order is kept, shared ones last; modules stay in place.
    assert ordered == [second, first, fourth, third, fifth]


def test_a_module_mixing_shared_rows_and_transactional_tests_is_refused():
    def item(module, *fixtures, transaction=False):
        marker = SimpleNamespace(kwargs={"transaction": transaction})
        return SimpleNamespace(
            path=Path(module),
            fixturenames=list(fixtures),
            get_closest_marker=lambda name: marker if name == "django_db" else None,
        )

    apart = [item("a.py", "_shared_world"), item("b.py", "db", transaction=True)]
    refuse_transactional_tests_beside_them(apart)
    for transactional in (item("a.py", "db", transaction=True), item("a.py", "live_server")):
        with pytest.raises(RuntimeError, match="a.py: shared rows and transactional tests"):
            refuse_transactional_tests_beside_them([*apart, transactional])
