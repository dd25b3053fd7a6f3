"""Coordinator screens: the rota, the volunteers list and invitations, all tenant-scoped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_staff_user
from volunteers.models import Shift, Volunteer, VolunteerNeed

from .conftest import make_cafe, make_volunteer, sent_to, vphone

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(home):
    now = timezone.now()
    ours = make_cafe(now=now, title="Vores Bibliotek")
    theirs = make_cafe(now=now, title="Deres Bibliotek")
    return ours, theirs


def coordinator(client, organisation):
    user = make_staff_user(organisation, role="coordinators_group")
    client.force_login(user)
    return user


def test_rota_shows_my_hotspots_shifts_and_gaps(client, tenants):
    (org, hotspot, session), (other_org, other_hotspot, other_session) = tenants
    anna = make_volunteer(org, vphone(1), "Anna")
    soon = session.occurrences.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    Shift.objects.create(volunteer=anna, occurrence=soon)
    ole = make_volunteer(other_org, vphone(2), "Ole")
    Shift.objects.create(
        volunteer=ole, occurrence=other_session.occurrences.order_by("starts_at").last()
    )
    coordinator(client, org)
    monday = timezone.localdate(soon.starts_at)
    response = client.get(
        reverse("volunteers_admin:rota"), {"week": monday.isoformat()}, HTTP_ACCEPT_LANGUAGE="en"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Vores Bibliotek" in content and "Anna" in content
    assert "Deres Bibliotek" not in content and "Ole" not in content
    # Previous / next week links.
    assert "Previous week" in content and "Next week" in content


def test_rota_flags_unstaffed_sessions_within_48_hours(client, home):
    now = timezone.now()
    # A session every day from now on: tomorrow's date is always within 48 hours.
    import recurrence

    from tests.factories import weekly

    org, _hotspot, _session = make_cafe(
        now=now,
        rule=weekly(
            recurrence.MO,
            recurrence.TU,
            recurrence.WE,
            recurrence.TH,
            recurrence.FR,
            recurrence.SA,
            recurrence.SU,
        ),
    )
    coordinator(client, org)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.get(
        reverse("volunteers_admin:rota"),
        {"week": tomorrow.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    content = response.content.decode()
    assert "No volunteer – starts soon" in content
    assert "within 48 hours with no volunteer" in content


def test_other_organisations_ids_are_404(client, tenants):
    (org, _hotspot, _session), (other_org, other_hotspot, other_session) = tenants
    coordinator(client, org)
    rota = reverse("volunteers_admin:rota")
    assert client.get(rota, {"hotspot": other_hotspot.pk}).status_code == 404
    assert client.get(rota, {"organisation": other_org.pk}).status_code == 404
    response = client.post(
        reverse("volunteers_admin:set_need", args=[other_session.pk]), {"volunteers_needed": 5}
    )
    assert response.status_code == 404
    assert not VolunteerNeed.objects.exists()


def test_caseworkers_and_strangers_get_nothing(client, tenants):
    (org, _hotspot, _session), _theirs = tenants
    user = make_staff_user(org, role="caseworkers_group")
    client.force_login(user)
    assert client.get(reverse("volunteers_admin:rota")).status_code == 404


def test_volunteers_list_is_scoped_and_shows_hours(client, tenants):
    (org, _hotspot, session), (other_org, _oh, _os) = tenants
    anna = make_volunteer(org, vphone(1), "Anna")
    anna.organisations.add(other_org)  # also volunteers elsewhere: not shown to us
    make_volunteer(other_org, vphone(2), "Ole")
    coordinator(client, org)
    content = client.get(
        reverse("volunteers_admin:volunteers"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Anna" in content and "+45 20 12 00 01" in content
    assert "Ole" not in content and "Deres" not in content


def test_invite_sends_an_sms_with_the_portal_link(client, tenants):
    (org, _hotspot, _session), (other_org, _oh, _os) = tenants
    coordinator(client, org)
    response = client.post(
        reverse("volunteers_admin:invite"),
        {
            "organisation": org.pk,
            "first_name": "Birthe",
            "phone": "20 12 00 42",
            "send_sms": "on",
            "alerts": "on",
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(phone=vphone(42))
    assert list(volunteer.organisations.all()) == [org]
    assert list(volunteer.alerts_for.all()) == [org]
    [body] = sent_to(vphone(42), "volunteer_invite")
    assert "https://digihjaelp.example/frivillig/" in body
    # Inviting into another organisation is refused by the form.
    response = client.post(
        reverse("volunteers_admin:invite"),
        {"organisation": other_org.pk, "first_name": "X", "phone": "20 12 00 43"},
    )
    assert response.status_code == 200
    assert not Volunteer.objects.filter(phone=vphone(43)).exists()


def test_set_volunteers_needed(client, tenants):
    (org, _hotspot, session), _theirs = tenants
    coordinator(client, org)
    client.post(reverse("volunteers_admin:set_need", args=[session.pk]), {"volunteers_needed": "3"})
    assert VolunteerNeed.objects.get(session=session).volunteers_needed == 3


def test_menu_item_for_coordinators(client, tenants):
    (org, _hotspot, _session), _theirs = tenants
    coordinator(client, org)
    content = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("volunteers_admin:rota") in content


def test_edit_volunteer_membership_is_scoped(client, tenants):
    (org, _hotspot, _session), (other_org, _oh, _os) = tenants
    anna = make_volunteer(org, vphone(1), "Anna")
    ole = make_volunteer(other_org, vphone(2), "Ole")
    coordinator(client, org)
    url = reverse("volunteers_admin:edit_volunteer", args=[anna.pk, org.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"first_name": "Anna B", "member": "on", "alerts": "on"})
    anna.refresh_from_db()
    assert anna.first_name == "Anna B" and list(anna.alerts_for.all()) == [org]
    client.post(url, {"first_name": "Anna B"})
    assert not anna.organisations.filter(pk=org.pk).exists()
    assert not anna.alerts_for.exists()
    # Another organisation's volunteer, or my volunteer through another organisation: 404.
    other = reverse("volunteers_admin:edit_volunteer", args=[ole.pk, other_org.pk])
    assert client.get(other).status_code == 404
    assert (
        client.get(reverse("volunteers_admin:edit_volunteer", args=[ole.pk, org.pk])).status_code
        == 404
    )
