"""A citizen books a seat on a small phone, from the directory to the confirmation, then cancels
it from the manage page. Axe must find nothing on any page, and the journey must also work with
JavaScript switched off (many older phones and locked-down library PCs)."""

import pytest
import recurrence
from playwright.sync_api import expect

from bookings.materialise import materialise_session
from bookings.models import Booking
from tests.browser.support import check_axe, screenshot
from tests.factories import (
    first_day_not_started,
    make_hotspot,
    make_organisation,
    make_session,
    make_topic,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def cafe(home):
    topic = make_topic("MitID")
    organisation = make_organisation("Aarhus Kommune")
    hotspot = make_hotspot(
        organisation,
        "Dokk1",
        topics=[topic],
        sms_code="4021",
        directions="Stueetagen, til venstre for indgangen",
    )
    session = make_session(
        hotspot,
        "IT-café",
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        booking_cutoff_minutes=0,
        fixed_capacity=2,
        offers_video=True,
        what_to_bring="Din telefon, oplader og MitID-app",
    )
    materialise_session(session)
    return hotspot


def snap(page, name):
    screenshot(page, f"booking-{name}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_book_and_cancel_on_a_phone(live_server, browser, cafe, javascript):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    suffix = "js" if javascript else "nojs"
    axe = javascript  # axe itself is JavaScript; the no-JS run checks that everything works

    page.goto(live_server.url + "/")
    if axe:
        check_axe(page, "directory")
    page.get_by_role("link", name="Dokk1").first.click()

    page.wait_for_url("**/hotspot-*/")
    assert page.get_by_role("heading", name="Book a time").is_visible()
    if axe:
        check_axe(page, "hotspot")
    snap(page, f"1-hotspot-{suffix}")
    page.locator("a.slot-button").first.click()

    page.wait_for_url("**/book/*/")
    if axe:
        check_axe(page, "form")
    # A mistake first: the form keeps what was typed and says kindly what is wrong.
    page.get_by_label("First name or nickname").fill("Bodil")
    page.get_by_label("Mobile number").fill("12 34")
    page.get_by_label("What do you need help with?").select_option(label="MitID")
    page.get_by_label("Video call").check()
    page.get_by_role("button", name="Book").click()
    # The summary links to the field; the field says the same next to it. The answer comes
    # back to the same address, so wait for it rather than for a URL: click() does not.
    expect(
        page.locator("#error-summary").get_by_text("We could not read that mobile number")
    ).to_be_visible()
    assert (
        page.locator("#id_phone-error")
        .get_by_text("We could not read that mobile number")
        .is_visible()
    )
    assert page.title().startswith("Error: ")
    assert page.get_by_label("First name or nickname").input_value() == "Bodil"
    if axe:
        check_axe(page, "form with errors")
    snap(page, f"2-form-error-{suffix}")

    page.get_by_label("Mobile number").fill("20 12 34 56")
    assert page.get_by_label("Video call").is_checked()
    page.get_by_role("button", name="Book").click()

    page.wait_for_url("**/book/done/*/")
    booking = Booking.objects.get()
    assert (booking.phone, booking.mode, booking.channel) == ("+4520123456", "video", "web")
    assert page.get_by_text(booking.reference).is_visible()
    assert page.get_by_role("link", name="Add it to your calendar (.ics file)").is_visible()
    if axe:
        check_axe(page, "confirmation")
    snap(page, f"3-confirmation-{suffix}")

    page.get_by_role("link", name="Change or cancel the booking").click()
    page.wait_for_url("**/b/*/")
    if axe:
        check_axe(page, "manage")
    snap(page, f"4-manage-{suffix}")
    page.get_by_role("link", name="Cancel my booking").click()
    page.wait_for_url("**/cancel/")
    assert page.get_by_role("heading", name="Do you want to cancel").is_visible()
    if axe:
        check_axe(page, "cancel question")
    page.get_by_role("button", name="Yes, cancel it").click()

    page.wait_for_url("**/b/*/")
    assert page.get_by_text("Your booking is cancelled").is_visible()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    if axe:
        check_axe(page, "cancelled")
    snap(page, f"5-cancelled-{suffix}")
    context.close()


def test_full_session_offers_the_waiting_list(live_server, browser, cafe):
    from bookings.models import Slot, WaitlistEntry

    occurrence = first_day_not_started(cafe.get_children().get().specific)
    Slot.objects.filter(occurrence=occurrence).update(booked=2)
    slot = occurrence.slots.order_by("starts_at").first()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/book/{slot.pk}/")
    assert page.get_by_role("heading", name="Join the waiting list").is_visible()
    check_axe(page, "full")
    page.get_by_label("First name or nickname").fill("Bodil")
    page.get_by_label("Mobile number").fill("20 12 34 56")
    page.get_by_role("button", name="Put me on the waiting list").click()
    page.wait_for_url("**/joined/")
    assert page.get_by_text("You are on the waiting list").is_visible()
    check_axe(page, "waitlist joined")
    snap(page, "6-waitlist-joined")
    assert WaitlistEntry.objects.get().phone == "+4520123456"
    context.close()


def test_a_time_taken_while_typing_gets_a_short_kind_answer(live_server, browser, cafe):
    """The crowd case: the last seat goes while they type. The short answer keeps their name
    and number in the waiting-list form and offers other times."""
    from bookings.models import Slot, WaitlistEntry

    occurrence = first_day_not_started(cafe.get_children().get().specific)
    slot = occurrence.slots.order_by("starts_at").first()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/book/{slot.pk}/")
    page.get_by_label("First name or nickname").fill("Bodil")
    page.get_by_label("Mobile number").fill("20 12 34 56")
    Slot.objects.filter(occurrence=occurrence).update(booked=2)  # taken meanwhile
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text("just been taken by someone else")).to_be_visible()
    assert page.get_by_role("heading", name="Join the waiting list").is_visible()
    assert page.get_by_role("heading", name="Other free times").is_visible()
    check_axe(page, "taken meanwhile")
    snap(page, "7-taken-meanwhile")
    assert page.get_by_label("First name or nickname").input_value() == "Bodil"
    page.get_by_role("button", name="Put me on the waiting list").click()
    page.wait_for_url("**/joined/")
    assert WaitlistEntry.objects.get().phone == "+4520123456"
    context.close()
