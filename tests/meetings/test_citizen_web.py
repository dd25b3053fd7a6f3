"""What a citizen sees of a meeting on the web: where it is before booking, moving it to another
time (as SMS FLYT does), and how they will meet on the join page."""

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.selectors import booking_for_token
from bookings.services import book_slot, switch_mode
from meetings.models import MeetingLocation
from meetings.selectors import bookable_meeting_slots
from meetings.services import join_path, room_for_booking
from sms.models import Message
from tests.factories import make_organisation
from tests.meetings.conftest import open_daily_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(home, settings):
    settings.VIDEO_PROVIDER = "fake"
    organisation = make_organisation("Aarhus Kommune")
    location = MeetingLocation.objects.create(
        organisation=organisation,
        name="Jobcenter, mødelokale 2",
        address="Værkmestergade 1",
        postcode="8000",
        city="Aarhus C",
    )
    service = open_daily_service(organisation, location=location)
    return service


def _book(service, mode="video", index=0):
    slot = bookable_meeting_slots(service=service)[index]
    return book_slot(
        slot_id=slot.pk, first_name="Karin", phone="+4520304050", channel="web", mode=mode
    )


def test_the_place_shows_before_booking(client, service):
    page = client.get(service.url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Jobcenter, mødelokale 2, Værkmestergade 1, 8000 Aarhus C" in page
    slot = bookable_meeting_slots(service=service)[0]
    form = client.get(reverse("meetings:book", args=[slot.pk]), HTTP_ACCEPT_LANGUAGE="da")
    assert "Hvor, hvis I mødes fysisk" in form.content.decode()
    assert "Værkmestergade 1" in form.content.decode()


def test_citizen_moves_a_meeting_on_the_web(client, service):
    booking = _book(service)
    token = booking.manage_token
    manage = client.get(reverse("bookings:manage", args=[token]), HTTP_ACCEPT_LANGUAGE="da")
    assert reverse("meetings:move", args=[token]) in manage.content.decode()
    assert "Flyt mit møde" in manage.content.decode()
    target = bookable_meeting_slots(service=service)[3]
    response = client.post(reverse("meetings:move", args=[token]), {"slot": target.pk})
    assert response.status_code == 302
    booking = Booking.objects.get(pk=booking.pk)
    assert (booking.slot_id, booking.status) == (target.pk, "confirmed")
    assert Message.objects.filter(booking=booking, purpose="booking_moved").exists()


def test_a_bad_move_is_a_kind_error_and_moves_nothing(client, service):
    booking = _book(service)
    token = booking.manage_token
    for value in ("", "abc", "999999999", str(booking.slot_id)):
        response = client.post(
            reverse("meetings:move", args=[token]), {"slot": value}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 302
        assert Booking.objects.get(pk=booking.pk).slot_id == booking.slot_id
    page = client.get(reverse("bookings:manage", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Please choose one of the free times." in page.content.decode()
    assert client.post(reverse("meetings:move", args=["nope"]), {"slot": "1"}).status_code == 404


def test_the_join_page_says_how_they_meet(client, service):
    booking = _book(service, mode="video")
    url = join_path(room_for_booking(booking))
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "press “Go to the meeting” when it opens" in page
    # Changed to a phone meeting: the same link now says we call, and which number.
    switch_mode(booking=booking_for_token(booking.manage_token), mode="phone")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We call you on your number ending in 40 50" in page
    assert "20304050" not in page
    switch_mode(booking=booking_for_token(booking.manage_token), mode="in_person")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Værkmestergade 1" in page
