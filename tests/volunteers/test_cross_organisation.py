"""Issue 11, item 2: another organisation may neither enrol a volunteer nor learn her name. An
invitation of a number that already volunteers elsewhere asks her by SMS (JA to accept) and
the coordinator gets the same neutral answer as for a new number; a coordinator edits only
volunteers of their own organisation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sms.services import simulate_inbound
from tests.factories import make_staff_user
from volunteers.models import MembershipInvitation, Volunteer

from .conftest import make_cafe, make_volunteer, sent_to, vphone

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(home):
    now = timezone.now()
    aarhus = make_cafe(now=now, title="Dokk1")[0]
    odense = make_cafe(now=now, title="Odense Hovedbibliotek")[0]
    anna = make_volunteer(aarhus, vphone(1), "Annabella")
    return aarhus, odense, anna


def _coordinator(client, organisation):
    client.force_login(make_staff_user(organisation, role="coordinators_group"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _invite(client, organisation, phone, first_name="Bea", **extra):
    return client.post(
        reverse("volunteers_admin:invite"),
        {"organisation": organisation.pk, "first_name": first_name, "phone": phone, **extra},
        follow=True,
    )


def test_inviting_another_organisations_volunteer_reveals_nothing_and_enrols_nobody(
    client, tenants
):
    aarhus, odense, anna = tenants
    _coordinator(client, odense)
    page = _invite(client, odense, "20 12 00 01", first_name="Someone", send_sms="on")
    content = page.content.decode()
    assert "Invitation sent to +45 20 12 00 01." in content
    assert "Annabella" not in content and aarhus.title not in content
    anna.refresh_from_db()
    assert anna.first_name == "Annabella"
    assert list(anna.organisations.all()) == [aarhus]
    assert not sent_to(anna.phone, "volunteer_invite")  # no "you have been added"
    [ask] = sent_to(anna.phone, "volunteer_invite_request")
    assert odense.title in ask and "JA" in ask

    new = _invite(client, odense, "20 12 00 02", send_sms="on").content.decode()
    assert "Invitation sent to +45 20 12 00 02." in new  # the same answer for a new number


def test_she_joins_when_she_answers_ja(client, tenants):
    _aarhus, odense, anna = tenants
    _coordinator(client, odense)
    _invite(client, odense, "20 12 00 01", alerts="on")
    simulate_inbound(phone=anna.phone, body="JA")
    assert set(anna.organisations.all()) == {odense, _aarhus}
    assert list(anna.alerts_for.all()) == [odense]
    assert MembershipInvitation.objects.get().accepted_at is not None
    [thanks] = sent_to(anna.phone, "volunteer_invite_accepted")
    assert odense.title in thanks


def test_a_coordinator_cannot_edit_another_organisations_volunteer(client, tenants):
    aarhus, odense, anna = tenants
    _coordinator(client, odense)
    for organisation in (odense, aarhus):
        url = reverse("volunteers_admin:edit_volunteer", args=[anna.pk, organisation.pk])
        assert client.get(url).status_code == 404
        response = client.post(url, {"first_name": "Hacked", "member": "on", "alerts": "on"})
        assert response.status_code == 404
    anna.refresh_from_db()
    assert anna.first_name == "Annabella"
    assert list(anna.organisations.all()) == [aarhus] and not anna.alerts_for.exists()


def test_a_shared_volunteers_name_stays_hers(client, tenants):
    aarhus, odense, anna = tenants
    anna.organisations.add(odense)  # she accepted Odense's invitation
    _coordinator(client, odense)
    url = reverse("volunteers_admin:edit_volunteer", args=[anna.pk, odense.pk])
    client.post(url, {"first_name": "Renamed", "member": "on", "alerts": "on"})
    anna.refresh_from_db()
    assert anna.first_name == "Annabella"
    assert list(anna.alerts_for.all()) == [odense]  # Odense's own settings still change
    assert Volunteer.objects.count() == 1
