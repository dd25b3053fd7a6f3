"""A coordinator finds "Bookings" in the Wagtail admin menu, sees today's bookings, marks who
came and books a citizen who phoned in."""

import pytest
import recurrence
from django.utils import timezone

from bookings import services
from bookings.materialise import materialise_session
from bookings.models import Booking, Occurrence
from bookings.selectors import bookable_slots
from tests.browser.support import screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def todays_booking(home):
    organisation = make_organisation("Aarhus Kommune")
    hotspot = make_hotspot(organisation, "Dokk1", sms_code="4021")
    session = make_session(
        hotspot,
        "IT-café",
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        booking_cutoff_minutes=0,
    )
    materialise_session(session)
    slot = bookable_slots(session=session)[0]
    booking = services.book_slot(
        slot_id=slot.pk, first_name="Bodil", phone="20123456", channel="web"
    )
    # Attendance can be marked from the session's day on: make it today's.
    occurrence = slot.occurrence
    Occurrence.objects.filter(session=session, date=timezone.localdate()).exclude(
        pk=occurrence.pk
    ).delete()
    Occurrence.objects.filter(pk=occurrence.pk).update(date=timezone.localdate())
    user = make_staff_user(organisation, "koordinator", role="coordinators_group")
    return booking, user


def test_coordinator_marks_attendance_and_books_for_a_caller(live_server, browser, todays_booking):
    booking, user = todays_booking
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-password-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Bookings").first.click()
    page.wait_for_url("**/admin/bookings/")
    assert page.get_by_text("Bodil").first.is_visible()
    page.get_by_role("button", name="Came").first.click()
    page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == "attended"
    screenshot(page, "booking-staff-list")

    page.get_by_role("link", name="Book for a citizen").click()
    page.locator("a[href*='/admin/bookings/new/']").first.click()
    page.fill("#id_first_name", "Carl")
    page.fill("#id_phone", "20 33 33 33")
    screenshot(page, "booking-staff-book")
    page.get_by_role("button", name="Book").click()
    page.wait_for_url("**/admin/bookings/?from=*")
    carl = Booking.objects.get(first_name="Carl")
    assert (carl.channel, carl.phone) == ("staff", "+4520333333")
    assert page.get_by_text(carl.reference).first.is_visible()
    context.close()


def test_coordinator_is_asked_before_cancelling_and_gives_a_reason(
    live_server, browser, todays_booking
):
    from sms.models import Message
    from tests.browser.support import check_axe

    booking, user = todays_booking
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-password-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + "/admin/bookings/")
    page.locator(f"a[href*='/admin/bookings/{booking.pk}/cancel/']").click()
    page.wait_for_url(f"**/admin/bookings/{booking.pk}/cancel/**")
    assert "Vil du aflyse bookingen" in page.inner_text("main")
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"

    # Submitting without a reason: an error, nothing cancelled.
    page.get_by_role("button", name="Ja, aflys bookingen").click()
    page.wait_for_selector("[role=alert]")
    assert "Vælg, hvorfor bookingen aflyses." in page.inner_text("[role=alert]")
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    screenshot(page, "booking-staff-cancel-error")
    check_axe(page, "staff cancel")

    page.get_by_label("Stedet er lukket den dag").check()
    page.get_by_role("button", name="Ja, aflys bookingen").click()
    page.wait_for_url("**/admin/bookings/**")
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", "staff")
    assert booking.events.get(kind="cancelled").reason == "closed"
    sms = Message.objects.get(purpose="booking_cancelled", booking=booking)
    assert "lukket" not in sms.body.lower()
    screenshot(page, "booking-staff-cancelled")
    context.close()
