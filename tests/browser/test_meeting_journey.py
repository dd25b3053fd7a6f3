"""A citizen books a video meeting with a caseworker on a small phone, switches it to in person
from the manage page, and opens the join page of a video meeting. Axe must find nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking, Occurrence, Slot
from bookings.services import book_slot
from meetings.models import MeetingLocation, MeetingTime
from meetings.services import join_path, room_for_booking
from tests.browser.support import check_axe, screenshot
from tests.factories import make_organisation
from tests.meetings.conftest import open_daily_service

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def snap(page, name):
    screenshot(page, f"meeting-{name}")


@pytest.fixture
def service(home, settings):
    settings.VIDEO_PROVIDER = "fake"
    organisation = make_organisation("Aarhus Kommune", phone="89 40 20 00")
    location = MeetingLocation.objects.create(
        organisation=organisation,
        name="Jobcenter, mødelokale 2",
        address="Værkmestergade 1",
        postcode="8000",
        city="Aarhus C",
        directions="Spørg i receptionen.",
    )
    service = open_daily_service(
        organisation,
        location=location,
        description="<p>En samtale med din sagsbehandler om job og uddannelse.</p>",
    )
    return service


def _meeting_starting_soon(service):
    """A video meeting that starts in five minutes (booked by staff, past the web cut-off)."""
    start = timezone.now() + timedelta(minutes=5)
    occurrence = Occurrence.objects.create(
        meeting_service=service,
        caseworker=service.anna,
        date=timezone.localdate(start),
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )
    slot = Slot.objects.create(
        occurrence=occurrence,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        capacity=1,
        caseworker=service.anna,
    )
    MeetingTime.objects.create(occurrence=occurrence, location=service.location)
    return book_slot(
        slot_id=slot.pk, first_name="Ib", phone="+4521212121", channel="staff", mode="video"
    )


def test_book_video_switch_to_in_person_and_join(live_server, browser, service):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    page.goto(live_server.url + service.url)
    assert page.get_by_role("heading", name="Samtale med jobcentret").is_visible()
    # Where an in-person meeting takes place, before a time is chosen.
    assert "Værkmestergade 1, 8000 Aarhus C" in page.inner_text(".meeting-place")
    check_axe(page, "service page")
    snap(page, "1-service")
    page.locator("a.slot-button").first.click()

    page.wait_for_url("**/moede/*/")
    assert page.get_by_text("Værkmestergade 1").first.is_visible()
    check_axe(page, "form")
    page.get_by_label("Video – on your phone, tablet or computer").check()
    page.get_by_label("First name or nickname").fill("Karin")
    page.get_by_label("Mobile number").fill("20 30 40 50")
    snap(page, "2-form")
    page.get_by_role("button", name="Book the meeting").click()

    page.wait_for_url("**/moede/booket/*/")
    booking = Booking.objects.get()
    assert (booking.mode, booking.phone, booking.channel) == ("video", "+4520304050", "web")
    assert page.get_by_text(booking.reference).is_visible()
    check_axe(page, "confirmation")
    snap(page, "3-confirmation")

    page.get_by_role("link", name="Change how we meet, or cancel").click()
    page.wait_for_url("**/b/*/")
    check_axe(page, "manage")
    snap(page, "4-manage")
    page.get_by_label("In person – you come to us").check()
    page.get_by_role("button", name="Change how we meet").click()
    page.wait_for_url("**/b/*/")
    assert page.get_by_text("Done. You now meet by").is_visible()
    assert page.get_by_text("Værkmestergade 1").first.is_visible()
    booking.refresh_from_db()
    assert booking.mode == "in_person"
    check_axe(page, "manage after switch")
    snap(page, "5-switched")

    # Move to another time on the web, as SMS FLYT does.
    old_slot = booking.slot_id
    page.locator("#move-heading ~ form input[type=radio]").first.check()
    page.get_by_role("button", name="Move my meeting").click()
    page.wait_for_url("**/b/*/")
    assert page.get_by_text("Your meeting is moved to the new time").is_visible()
    booking.refresh_from_db()
    assert booking.slot_id != old_slot and booking.status == "confirmed"
    check_axe(page, "manage after move")
    snap(page, "5b-moved")

    # The join page of a video meeting that starts in five minutes: open, with a way in.
    soon = _meeting_starting_soon(service)
    page.goto(live_server.url + join_path(room_for_booking(soon)))
    assert page.get_by_role("heading", name="Your video meeting").is_visible()
    assert page.get_by_role("button", name="Go to the meeting").is_visible()
    assert page.get_by_role("button", name="Start the test").is_visible()
    assert "press “Go to the meeting” when it opens" in page.inner_text(".meeting-when")
    check_axe(page, "join")
    snap(page, "6-join")
    with page.expect_request(lambda r: r.url.startswith("https://video.invalid/")) as request:
        page.get_by_role("button", name="Go to the meeting").click()
    assert "role=guest" in request.value.url
    context.close()


def test_join_page_without_javascript_explains_the_check(live_server, browser, service):
    soon = _meeting_starting_soon(service)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + join_path(room_for_booking(soon)))
    # Playwright's text engine skips <noscript>; the markup is what a no-JS browser renders.
    assert "The test needs JavaScript" in page.content()
    assert not page.get_by_role("button", name="Start the test").is_visible()
    snap(page, "7-join-nojs")
    context.close()
