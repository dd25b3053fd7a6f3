"""hotspots.tenancy answers, in one place, which organisations a user may act for and in which
role; every staff view asks it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from hotspots.models import HotspotPage
from hotspots.tenancy import (
    VOLUNTEER_ROLES,
    Role,
    is_staff,
    may_act_for,
    organisation_of,
    organisations_for_user,
    pages_q,
    scope_queryset,
)
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(home):
    a, b = make_organisation("Aarhus Kommune"), make_organisation("Odense Kommune")
    return a, b


def test_each_role_acts_only_for_its_own_organisation(orgs):
    a, b = orgs
    editor = make_staff_user(a, role="editors_group")
    coordinator = make_staff_user(a, role="coordinators_group")
    caseworker = make_staff_user(b, role="caseworkers_group")

    assert list(organisations_for_user(editor)) == [a]
    assert may_act_for(editor, a, Role.EDITOR) and not may_act_for(editor, a, Role.COORDINATOR)
    assert not may_act_for(editor, b)
    assert may_act_for(coordinator, a, Role.COORDINATOR)
    assert may_act_for(coordinator, a, VOLUNTEER_ROLES)
    assert may_act_for(caseworker, b, Role.CASEWORKER)
    assert not is_staff(caseworker, VOLUNTEER_ROLES) and is_staff(caseworker)
    assert list(organisations_for_user(caseworker, Role.CASEWORKER)) == [b]


def test_superuser_acts_for_all_and_strangers_for_none(orgs):
    a, b = orgs
    root = get_user_model().objects.create_superuser("root", "r@example.org", "pw-123456789")
    stranger = get_user_model().objects.create_user("stranger", password="pw-123456789")
    assert set(organisations_for_user(root, Role.COORDINATOR)) == {a, b}
    assert may_act_for(root, b, Role.CASEWORKER)
    assert not is_staff(stranger) and not is_staff(AnonymousUser())
    assert not may_act_for(stranger, a) and not may_act_for(root, None)


def test_an_inactive_user_acts_for_nobody(orgs):
    a, _b = orgs
    editor = make_staff_user(a)
    editor.is_active = False
    editor.save()
    assert not is_staff(editor)


def test_page_scoping_and_the_organisation_of_a_page(orgs):
    a, b = orgs
    hotspot_a = make_hotspot(a, "Dokk1")
    hotspot_b = make_hotspot(b, "Odense Bibliotek")
    session_a = make_session(hotspot_a)
    editor = make_staff_user(a)
    assert organisation_of(session_a) == a and organisation_of(a) == a
    assert list(scope_queryset(HotspotPage.objects.all(), editor)) == [hotspot_a]
    assert not HotspotPage.objects.filter(pages_q([])).exists()
    assert set(HotspotPage.objects.filter(pages_q([a, b]))) == {hotspot_a, hotspot_b}
