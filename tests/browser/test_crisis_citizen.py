"""A phone crisis on IT-cafés as a citizen sees it on a phone, start to all-clear: the banner
on the directory card, the hotspot and the manage page; a place with no remote help says it is
closed instead of offering a form; each citizen's SMS names what happened to their booking;
the all-clear moves them back. Axe clean at every step (WCAG 2.2 AA)."""

from datetime import timedelta

import pytest
from django.utils import timezone

import sms
from bookings.materialise import materialise_session
from bookings.models import Booking
from bookings.selectors import bookable_slots
from bookings.services import book_slot
from crisis.texts import LINES
from tests.browser.support import check_axe, screenshot
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGE = "Aarhus Kommune: Vi kan ikke mødes fysisk i denne uge."


@pytest.fixture
def world(home, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["interactive", "default", "bulk"],
        }
    }
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    sms.outbox = []
    organisation = make_organisation("Aarhus Kommune")
    dokk1 = make_hotspot(organisation, "Dokk1", sms_code="4021")
    nord = make_hotspot(organisation, "Lokalcenter Nord", sms_code="4022")
    by_phone = make_session(dokk1, "IT-café", fixed_capacity=4, offers_phone=True)
    in_person_only = make_session(nord, "IT-café", fixed_capacity=4)
    for session in (by_phone, in_person_only):
        materialise_session(session)

    def first_slots(session):
        # Times a citizen may still book: on the café's own day the first ones are past the
        # cut-off.
        return bookable_slots(session=session, limit=2)

    dokk1_slots, nord_slots = first_slots(by_phone), first_slots(in_person_only)
    moved = book_slot(
        slot_id=dokk1_slots[0].pk, first_name="Bodil", phone="20123401", channel="web"
    )
    cancelled = book_slot(
        slot_id=nord_slots[0].pk, first_name="Karl", phone="20123402", channel="web"
    )
    return {
        "organisation": organisation,
        "dokk1": dokk1,
        "nord": nord,
        "nord_slot": nord_slots[1],
        "moved": moved,
        "cancelled": cancelled,
        "coordinator": make_staff_user(organisation, "koordinator", role="coordinators_group"),
    }


def texts_to(phone):
    return [m.body.removeprefix("Digihjælp: ") for m in sms.outbox if m.to == phone]


def test_a_phone_crisis_start_to_all_clear_on_a_phone(live_server, browser, world):
    from crisis import services

    sms.outbox.clear()
    now = timezone.now()
    action = services.start_crisis_action(
        organisation=world["organisation"],
        user=world["coordinator"],
        kind="to_phone",
        starts_at=now,
        ends_at=now + timedelta(days=60),
        message=MESSAGE,
        restore_in_person=True,
    )
    moved = Booking.objects.get(pk=world["moved"].pk)
    assert moved.mode == "phone"
    assert Booking.objects.get(pk=world["cancelled"].pk).status == "cancelled"
    assert texts_to("+4520123401") == [f"{MESSAGE}\n{LINES['da']['phone']}"]
    assert texts_to("+4520123402") == [f"{MESSAGE}\n{LINES['da']['cancelled']}"]

    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    cards = page.locator(".hotspot-card")
    assert MESSAGE in cards.filter(has_text="Dokk1").inner_text()
    check_axe(page, "directory")
    screenshot(page, "crisis-citizen-directory")

    page.goto(f"{live_server.url}/b/{world['moved'].manage_token}/")
    assert MESSAGE in page.locator(".crisis-banner").inner_text()
    check_axe(page, "manage")
    screenshot(page, "crisis-citizen-manage")

    page.goto(f"{live_server.url}/book/{world['nord_slot'].pk}/")
    assert "lukket under krisen" in page.content()
    assert page.locator("input[name=first_name]").count() == 0
    check_axe(page, "closed booking form")
    screenshot(page, "crisis-citizen-closed")

    services.end_crisis_action(action=action, user=world["coordinator"])
    assert Booking.objects.get(pk=moved.pk).mode == "in_person"
    assert texts_to("+4520123401")[-1].endswith(LINES["da"]["restored"])
    assert texts_to("+4520123402")[-1].endswith(LINES["da"]["reopened"])
    page.goto(f"{live_server.url}{world['dokk1'].url}")
    assert page.locator(".crisis-banner").count() == 0
    context.close()
