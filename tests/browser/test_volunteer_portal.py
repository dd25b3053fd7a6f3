"""A volunteer on a small phone: logs in with the SMS code, takes today's shift, sees a booking
arrive and marks that the citizen came. Axe must find nothing on any page; the screenshots are
for a human to check that text and buttons are big enough for a 70-year-old."""

import re
from datetime import timedelta

import pytest
import recurrence
from django.utils import timezone

from bookings import services as booking_services
from bookings.materialise import materialise_session
from bookings.models import Booking
from sms.models import Message
from tests.browser.support import check_axe, screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_topic
from volunteers.models import Shift, Volunteer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = "+4520120001"


@pytest.fixture
def cafe_today(home):
    """A daily IT café starting a little later today, so the shift can still be taken and
    attendance can already be marked."""
    local_now = timezone.localtime()
    start = (local_now + timedelta(minutes=20)).replace(second=0, microsecond=0)
    start = start.replace(minute=start.minute - start.minute % 5)
    end = start + timedelta(minutes=60)
    if end.date() != local_now.date():
        pytest.skip("Too close to midnight for a session later today.")
    topic = make_topic("MitID")
    organisation = make_organisation("Aarhus Kommune")
    hotspot = make_hotspot(organisation, "Hovedbiblioteket", topics=[topic])
    session = make_session(
        hotspot,
        "IT-café",
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        starts_on=local_now.date(),
        start_time=start.time(),
        end_time=end.time(),
        slot_minutes=60,
        capacity_rule="per_volunteer",
        seats_per_volunteer=2,
        booking_cutoff_minutes=0,
    )
    materialise_session(session)
    volunteer = Volunteer.objects.create(phone=PHONE, first_name="Grethe")
    volunteer.organisations.add(organisation)
    return {"session": session, "topic": topic, "volunteer": volunteer}


def check(page, name):
    screenshot(page, f"volunteer-{name}")
    check_axe(page, name)


def tap_targets_are_large(page):
    """Every visible button in the main content is at least 44 px high (WCAG 2.5.5 AAA)."""
    heights = page.eval_on_selector_all(
        "main button, main a.button",
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)",
    )
    assert heights and min(heights) >= 44, heights


def text_is_large(page):
    """Body text at least as large as the citizen pages' 18 px (it was 12.5 px: rem sizes on
    DKFDS's 10 px root), buttons at least 48 px high."""
    sizes = page.eval_on_selector_all(
        "main p, main li, main label, main dd, main td",
        "els => els.filter(e => e.offsetParent && e.innerText.trim())"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 18, sizes
    heights = page.eval_on_selector_all(
        "main button, main a.button",
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)",
    )
    assert min(heights, default=48) >= 48, heights


def latest_code() -> str:
    body = (
        Message.objects.filter(to_number=PHONE, purpose="volunteer_login_code")
        .order_by("-pk")
        .values_list("body", flat=True)
        .first()
    )
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_volunteer_takes_a_shift_and_marks_attendance(live_server, browser, cafe_today):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    page.goto(f"{live_server.url}/frivillig/")
    assert page.url.endswith("/frivillig/login/")
    check(page, "1-login")
    text_is_large(page)
    page.fill("input[name=phone]", "20 12 00 01")
    page.click("form.portal-form button[type=submit]")

    page.wait_for_url("**/frivillig/login/code/")
    check(page, "2-code")
    page.fill("input[name=code]", latest_code())
    page.click("form.portal-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/frivillig/")
    assert "Grethe" in page.inner_text("h1")
    check(page, "3-home")
    tap_targets_are_large(page)
    text_is_large(page)

    page.click(".portal-nav a[href$='/frivillig/sessions/']")
    page.wait_for_url("**/frivillig/sessions/")
    check(page, "4-sessions")
    tap_targets_are_large(page)
    text_is_large(page)
    assert "citizens booked" not in page.inner_text("main")
    assert "borgere har booket" in page.inner_text("main")
    page.click(".portal-take button[value='0'] >> nth=0")

    page.wait_for_url(re.compile(r".*/frivillig/shift/\d+/$"))
    shift = Shift.objects.get(volunteer=cafe_today["volunteer"], status="taken")
    assert timezone.localdate(shift.occurrence.starts_at) == timezone.localdate()
    check(page, "5-shift-empty")

    # A citizen books by SMS while the volunteer looks at the shift: the seat exists because
    # she is on shift.
    slot = shift.occurrence.slots.get()
    assert slot.capacity == 2
    booking = booking_services.book_slot(
        slot_id=slot.pk,
        first_name="Karen",
        phone="+4522330001",
        channel="sms",
        help_topic=cafe_today["topic"],
        note="Ny telefon",
    )
    page.reload()
    card = page.locator(f"#booking-{booking.pk}")
    assert "Karen" in card.inner_text() and "Ny telefon" in card.inner_text()
    check(page, "6-shift-booking")
    tap_targets_are_large(page)
    card.locator("button[value='1']").click()
    page.wait_for_load_state()
    assert Booking.objects.get(pk=booking.pk).status == "attended"
    page.wait_for_selector(".alert-success")
    check(page, "7-marked")

    # Dropping now would leave Karen without a volunteer: the warning is on the first screen,
    # before anything is submitted, and the button that drops looks destructive.
    page.goto(f"{live_server.url}/frivillig/shift/{shift.pk}/drop/")
    assert page.locator(".alert-warning").is_visible()
    assert "1 borger har booket" in page.inner_text(".alert-warning")
    drop_button = page.locator("form.portal-form button[type=submit]")
    assert "button-warning" in drop_button.get_attribute("class")
    assert drop_button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(204, 0, 0)"
    check(page, "8-drop-warning")
    text_is_large(page)
    assert Shift.objects.get(pk=shift.pk).status == "taken"
    page.goto(f"{live_server.url}/frivillig/password/")
    check(page, "10-password")
    page.goto(f"{live_server.url}/frivillig/hours/")
    check(page, "9-hours")
    context.close()
