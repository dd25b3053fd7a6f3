"""A video crisis and a phone crisis, on an IT-café and on a caseworker service, as a citizen
sees them on a small phone (360x740), start to all-clear: the SMS with the line for their
outcome, the banner and the new mode on the manage page, for video the join page the reminder
links to; each keyword the line names answered by the dialog for a citizen who got it; the
all-clear SMS and the page back to in person. Axe clean at every step (WCAG 2.2 AA)."""

import re
from datetime import date, time, timedelta

import pytest
import recurrence
from django.test import TestCase
from django.utils import timezone

import sms
from bookings.materialise import materialise_session
from bookings.models import Booking, Slot
from bookings.services import book_slot
from crisis.texts import KEYWORDS, LINES
from meetings.models import MeetingLocation
from sms.services import send_due_reminders, simulate_inbound
from tests.browser.support import check_axe, screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user
from tests.meetings.conftest import open_daily_service

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGE = "Aarhus Kommune: Vi kan ikke mødes fysisk i denne uge."
PHONE = {"da": "+4520123401", "other": "+4520123402"}
JOIN = re.compile(r"https://digihjaelp\.example(/m/[A-Za-z0-9_-]+/)")
# What the manage page calls each mode (IT-café / caseworker meeting), in Danish.
MODE_SHOWN = {
    "session": {"video": "Videoopkald", "phone": "Telefonopkald", "in_person": "Mød op"},
    "meeting": {
        "video": "Video – på din telefon",
        "phone": "Telefon – vi ringer til dig",
        "in_person": "Fremmøde – du kommer til os",
    },
}


@pytest.fixture
def world(home, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "bulk", "interactive"],
        }
    }
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    settings.VIDEO_PROVIDER = "fake"
    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    sms.outbox = []
    organisation = make_organisation("Aarhus Kommune", phone="89 40 20 00")
    dokk1 = make_hotspot(organisation, "Dokk1", sms_code="4021")
    cafe = make_session(
        dokk1,
        "IT-café",
        fixed_capacity=4,
        offers_video=True,
        offers_phone=True,
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        starts_on=date.today(),
        start_time=time(10, 0),
        end_time=time(12, 0),
    )
    materialise_session(cafe)
    location = MeetingLocation.objects.create(
        organisation=organisation, name="Jobcenter", address="Værkmestergade 1", postcode="8000"
    )
    service = open_daily_service(organisation, location=location, start=time(9, 0), end=time(12, 0))
    # Times from the day after tomorrow: past every cut-off, inside the action's period.
    after = timezone.now() + timedelta(days=2)
    cafe_slots = list(
        Slot.objects.filter(occurrence__session=cafe, starts_at__gt=after).order_by("starts_at")
    )
    meeting_slots = list(
        Slot.objects.filter(occurrence__meeting_service=service, starts_at__gt=after).order_by(
            "starts_at"
        )
    )
    return {
        "organisation": organisation,
        "slots": {"session": cafe_slots, "meeting": meeting_slots},
        "coordinator": make_staff_user(organisation, "koordinator", role="coordinators_group"),
    }


def texts_to(phone):
    """The texts sent to a phone, without the "Digihjælp: " each starts with."""
    return [m.body.removeprefix("Digihjælp: ") for m in sms.outbox if m.to == phone]


def reply(phone, body):
    with TestCase.captureOnCommitCallbacks(execute=True):
        message, answer = simulate_inbound(phone=phone, body=body)
    message.refresh_from_db()
    return message.last_error, answer


def line_for(kind, source):
    """The line each citizen of this crisis gets: both places offer video and phone."""
    if kind == "to_video":
        return "video_meeting:phone" if source == "meeting" else "video:phone"
    return "phone:video"


@pytest.mark.parametrize("source", ["session", "meeting"])
@pytest.mark.parametrize("kind", ["to_video", "to_phone"])
def test_a_crisis_start_to_all_clear_on_a_small_phone(live_server, browser, world, kind, source):
    from crisis import services

    mode = "video" if kind == "to_video" else "phone"
    other = "phone" if mode == "video" else "video"
    slots = world["slots"][source]
    citizen = book_slot(slot_id=slots[0].pk, first_name="Bodil", phone="20123401", channel="web")
    neighbour = book_slot(slot_id=slots[1].pk, first_name="Karl", phone="20123402", channel="web")
    token = citizen.manage_token
    sms.outbox.clear()

    now = timezone.now()
    action = services.start_crisis_action(
        organisation=world["organisation"],
        user=world["coordinator"],
        kind=kind,
        starts_at=now,
        ends_at=now + timedelta(days=30),
        message=MESSAGE,
        restore_in_person=True,
    )
    line = line_for(kind, source)
    assert Booking.objects.get(pk=citizen.pk).mode == mode
    assert texts_to(PHONE["da"]) == [f"{MESSAGE}\n{LINES['da'][line]}"]

    context = browser.new_context(locale="da-DK", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/b/{token}/")
    assert MESSAGE in page.locator(".crisis-banner").inner_text()
    assert MODE_SHOWN[source][mode] in page.locator("main").inner_text()
    check_axe(page, f"manage during a {kind} crisis ({source})")
    screenshot(page, f"crisis-{kind}-{source}-manage")

    if mode == "video":
        # The line promises the link in the reminder before the start: it comes, and works.
        Booking.objects.filter(pk=citizen.pk).update(created_at=now - timedelta(days=7))
        send_due_reminders(now=slots[0].starts_at - timedelta(minutes=60))
        path = JOIN.search(texts_to(PHONE["da"])[-1]).group(1)
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").inner_text() == "Dit videomøde"
        assert "Svar TELEFON" in page.locator("main").inner_text()
        check_axe(page, f"join page ({source})")
        screenshot(page, f"crisis-video-{source}-join")
        # The manage page links to it as well.
        page.goto(f"{live_server.url}/b/{token}/")
        assert page.locator(f'a[href="{path}"]').count() == 1

    # Every answer the line names works for a citizen who got it (the neighbour, same line).
    assert texts_to(PHONE["other"])[0] == f"{MESSAGE}\n{LINES['da'][line]}"
    assert KEYWORDS[line] == [{"video": "VIDEO", "phone": "TELEFON"}[other], "AFBUD"]
    assert reply(PHONE["other"], KEYWORDS[line][0])[0] == "switch_mode:ok"
    assert Booking.objects.get(pk=neighbour.pk).mode == other
    assert reply(PHONE["other"], "AFBUD")[0] == "cancel:ok"
    assert Booking.objects.get(pk=neighbour.pk).status == "cancelled"

    services.end_crisis_action(action=action, user=world["coordinator"])
    assert Booking.objects.get(pk=citizen.pk).mode == "in_person"
    assert texts_to(PHONE["da"])[-1] == f"{MESSAGE}\n{LINES['da']['restored']}"
    # The restored line names AFBUD; FREMMØDE changes nothing now, and says so.
    assert reply(PHONE["da"], "FREMMØDE")[0] == "switch_mode:mode_unchanged"
    page.goto(f"{live_server.url}/b/{token}/")
    assert page.locator(".crisis-banner").count() == 0
    assert MODE_SHOWN[source]["in_person"] in page.locator("main").inner_text()
    check_axe(page, f"manage after the all-clear ({source})")
    screenshot(page, f"crisis-{kind}-{source}-all-clear")
    context.close()
