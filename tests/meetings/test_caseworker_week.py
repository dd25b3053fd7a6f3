"""A caseworker's "My meetings": what is coming in the next days (not only an empty today), and
a caseworker without a notification number is asked for one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import CaseworkerProfile
from tests.meetings.conftest import slot_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world, now):
    anna = services.book_meeting(
        slot_id=slot_of(world.service, world.anna, now).pk,
        first_name="Annasborger",
        phone="+4520304050",
        mode="phone",
        now=now,
    )
    later = services.book_meeting(
        slot_id=slot_of(world.service, world.anna, now, 5).pk,
        first_name="Senereborger",
        phone="+4520304051",
        mode="video",
        now=now,
    )
    bo = services.book_meeting(
        slot_id=slot_of(world.service, world.bo, now, 1).pk,
        first_name="Bosborger",
        phone="+4521212121",
        mode="video",
        now=now,
    )
    return anna, later, bo


def test_an_empty_day_still_shows_the_meetings_coming_up(world, booked, client, now):
    anna, later, _bo = booked
    the_day_before = timezone.localdate(anna.slot.starts_at) - timedelta(days=1)
    client.force_login(world.anna)
    html = client.get(
        f"/admin/meetings/?day={the_day_before.isoformat()}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "No meetings on this day." in html
    assert "The next 14 days" in html
    assert "Annasborger" in html and "Senereborger" in html
    assert "Bosborger" not in html  # a colleague's meeting
    day = timezone.localdate(anna.slot.starts_at).isoformat()
    assert f'href="?day={day}"' in html  # each day links to its own day view


def test_a_caseworker_without_a_number_is_asked_for_one(world, client):
    # Bo has no notification number; Anna has one.
    client.force_login(world.bo)
    html = client.get("/admin/meetings/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Tilføj dit mobilnummer til beskeder" in html
    assert 'action="/admin/meetings/me/number/"' in html

    response = client.post("/admin/meetings/me/number/", {"phone": "not a number"})
    assert response.status_code == 302
    assert not CaseworkerProfile.objects.filter(user=world.bo).exclude(phone="").exists()
    client.post("/admin/meetings/me/number/", {"phone": "20 99 88 77"})
    assert CaseworkerProfile.objects.get(user=world.bo).phone == "+4520998877"
    html = client.get("/admin/meetings/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Tilføj dit mobilnummer til beskeder" not in html

    client.force_login(world.anna)
    html = client.get("/admin/meetings/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Tilføj dit mobilnummer til beskeder" not in html


def test_setting_the_number_keeps_the_rest_of_the_profile(world, client):
    CaseworkerProfile.objects.create(user=world.bo, meeting_url="https://teams.example/bo")
    client.force_login(world.bo)
    client.post("/admin/meetings/me/number/", {"phone": "20998877"})
    profile = CaseworkerProfile.objects.get(user=world.bo)
    assert (profile.phone, profile.meeting_url) == ("+4520998877", "https://teams.example/bo")
