"""Tenancy and caseworker scoping on every meetings admin view."""

import pytest
from django.utils import timezone

from bookings.models import BookingStatus
from meetings import services
from meetings.models import AvailabilityException, CaseworkerAvailability, CaseworkerProfile
from tests.factories import make_organisation
from tests.meetings.conftest import make_caseworker, slot_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world, now):
    anna_booking = services.book_meeting(
        slot_id=slot_of(world.service, world.anna, now).pk,
        first_name="Annasborger",
        phone="+4520304050",
        mode="phone",
        now=now,
    )
    bo_booking = services.book_meeting(
        slot_id=slot_of(world.service, world.bo, now, 1).pk,
        first_name="Bosborger",
        phone="+4521212121",
        mode="video",
        now=now,
    )
    return anna_booking, bo_booking


def _day(booking):
    return timezone.localdate(booking.slot.starts_at).isoformat()


def test_caseworker_sees_only_own_meetings(world, booked, client):
    anna_booking, bo_booking = booked
    client.force_login(world.anna)
    page = client.get(f"/admin/meetings/?day={_day(anna_booking)}", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Annasborger" in html and "+45 20 30 40 50" in html
    assert "Bosborger" not in html
    # Asking for the whole team is ignored for a plain caseworker.
    html = client.get(f"/admin/meetings/?day={_day(anna_booking)}&all=1").content.decode()
    assert "Bosborger" not in html


def test_team_lead_sees_the_organisation(world, booked, client):
    anna_booking, _bo = booked
    CaseworkerProfile.objects.filter(user=world.anna).update(is_team_lead=True)
    client.force_login(world.anna)
    html = client.get(f"/admin/meetings/?day={_day(anna_booking)}&all=1").content.decode()
    assert "Annasborger" in html and "Bosborger" in html


def test_colleague_and_other_organisation_get_404(world, booked, client, now):
    anna_booking, _bo = booked
    other_org = make_organisation("Odense Kommune")
    stranger = make_caseworker(other_org, "carl")
    for user in (world.bo, stranger):
        client.force_login(user)
        for url, data in (
            (f"/admin/meetings/{anna_booking.pk}/attendance/", {"attended": "1"}),
            (f"/admin/meetings/{anna_booking.pk}/mode/", {"mode": "video"}),
            (f"/admin/meetings/{anna_booking.pk}/join/", {}),
        ):
            assert client.post(url, data).status_code == 404, (user, url)
    client.force_login(stranger)
    html = client.get(f"/admin/meetings/?day={_day(anna_booking)}&all=1").content.decode()
    assert "Annasborger" not in html
    anna_booking.refresh_from_db()
    assert anna_booking.mode == "phone" and anna_booking.status == BookingStatus.CONFIRMED


def test_caseworker_marks_and_switches_own_meeting(world, booked, client, now):
    from unittest import mock

    anna_booking, _bo = booked
    client.force_login(world.anna)
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = client.post(f"/admin/meetings/{anna_booking.pk}/mode/", {"mode": "video"})
    assert response.status_code == 302
    anna_booking.refresh_from_db()
    assert anna_booking.mode == "video"
    # Attendance is possible from the day of the meeting.
    with mock.patch("django.utils.timezone.now", return_value=anna_booking.slot.ends_at):
        client.post(f"/admin/meetings/{anna_booking.pk}/attendance/", {"attended": "0"})
    anna_booking.refresh_from_db()
    assert anna_booking.status == BookingStatus.NO_SHOW


def test_availability_and_time_off_are_scoped(world, client):
    anna_availability = CaseworkerAvailability.objects.get(caseworker=world.anna)
    bo_availability = CaseworkerAvailability.objects.get(caseworker=world.bo)
    client.force_login(world.anna)
    listing = client.get("/admin/meetings/availability/").content.decode()
    assert f"/admin/meetings/availability/{anna_availability.pk}/" in listing
    assert f"/admin/meetings/availability/{bo_availability.pk}/" not in listing
    assert client.get(f"/admin/meetings/availability/{bo_availability.pk}/").status_code == 404
    assert client.get(f"/admin/meetings/availability/{anna_availability.pk}/").status_code == 200
    # Time off for oneself works; for a colleague it is refused.
    data = {
        "organisation": world.organisation.pk,
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-10",
        "reason": "sick",
    }
    response = client.post("/admin/meetings/timeoff/add/", {**data, "caseworker": world.bo.pk})
    assert response.status_code == 200
    assert not AvailabilityException.objects.exists()
    response = client.post("/admin/meetings/timeoff/add/", {**data, "caseworker": world.anna.pk})
    assert response.status_code == 302
    assert AvailabilityException.objects.get().caseworker == world.anna
    # Locations are for team leads and editors only.
    assert client.get("/admin/meetings/locations/add/").status_code == 404
    other_org = make_organisation("Odense Kommune")
    stranger = make_caseworker(other_org, "carl")
    client.force_login(stranger)
    assert client.get(f"/admin/meetings/availability/{anna_availability.pk}/").status_code == 404
    assert client.get(f"/admin/meetings/locations/{world.location.pk}/").status_code == 404


def test_menu_item_for_staff(world, client):
    client.force_login(world.anna)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My meetings" in html
