"""The SMS journey in Arabic and Ukrainian end to end (issue 15): a booking made on the web in
the language gets its SMS in it, and the citizen books, cancels, moves, switches mode and uses
the waiting list with their own words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as engine
from bookings.models import Booking, BookingStatus, Occurrence, WaitlistEntry
from bookings.selectors import bookable_slots
from sms import texts
from sms.models import Direction, Message

from .conftest import SENDER, make_bookable_session

PHONE = "+4520304050"
WORDS = {
    "ar": {
        "book": "موعد ٤٠٢١",
        "cancel": "إلغاء",
        "move": "تغيير",
        "video": "فيديو",
        "wait": "انتظار 4021",
        "choose": "١",
        "choose2": "٢",
    },
    "uk": {
        "book": "ЧАС 4021",
        "cancel": "скасувати",
        "move": "ПЕРЕНЕСТИ",
        "video": "відео",
        "wait": "черга 4021",
        "choose": "1",
        "choose2": "2",
    },
}


def first_line(code, key):
    """The fixed start of a template, up to its first value."""
    return texts.TEXTS[code][key].split("{")[0]


@pytest.fixture
def site_languages(settings):
    settings.LANGUAGES = [
        ("da", "Dansk"),
        ("en", "English"),
        ("ar", "العربية"),
        ("fa", "فارسی"),
        ("uk", "Українська"),
        ("pl", "Polski"),
        ("tr", "Türkçe"),
        ("so", "Soomaali"),
    ]


def sent_to(phone=PHONE):
    bodies = list(
        Message.objects.filter(direction=Direction.OUT, to_number=phone)
        .order_by("pk")
        .values_list("body", flat=True)
    )
    assert all(b.startswith(SENDER) for b in bodies)
    return [b.removeprefix(SENDER) for b in bodies]


@pytest.mark.django_db
@pytest.mark.usefixtures("site_languages")
@pytest.mark.parametrize("code", ["ar", "uk"])
def test_the_sms_journey_in_the_citizens_language(
    code, client, texting, django_capture_on_commit_callbacks
):
    words = WORDS[code]
    session = make_bookable_session(sms_code="4021", offers_video=True)
    slot = bookable_slots(session=session, limit=1)[0]

    # Booked on the web in the language: the booking carries it, and so does its SMS.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bookings:book", args=[slot.pk]),
            {
                "first_name": "Amal",
                "phone": "20 30 40 50",
                "help_topic": "",
                "note": "",
                "submission": "submission-aaaaaaaaaaaa",
                "mode": "in_person",
            },
            HTTP_ACCEPT_LANGUAGE=code,
        )
    booking = Booking.objects.get(phone=PHONE)
    assert booking.language == code
    [confirmation] = sent_to()
    assert confirmation.startswith(first_line(code, "confirmed"))
    assert texts.when(slot.starts_at, code) in confirmation

    # Cancel in their own words.
    [cancelled] = texting(words["cancel"])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert cancelled.startswith(first_line(code, "cancelled"))

    # Book by SMS: the conversation speaks the language the phone booked in.
    [offers] = texting(words["book"])
    assert offers.startswith(first_line(code, "offers"))
    [booked] = texting(words["choose"])
    assert booked.startswith(first_line(code, "confirmed"))
    new = Booking.objects.get(phone=PHONE, status=BookingStatus.CONFIRMED)
    assert new.channel == "sms" and new.language == code

    # Move.
    [move_offers] = texting(words["move"])
    assert move_offers.startswith(first_line(code, "move_offers"))
    [moved] = texting(words["choose2"])
    assert moved.startswith(first_line(code, "moved"))
    moved_booking = Booking.objects.get(phone=PHONE, status=BookingStatus.CONFIRMED)
    assert moved_booking.slot_id != new.slot_id

    # Switch mode.
    [switched] = texting(words["video"])
    assert switched.startswith(first_line(code, "mode_switched"))
    assert Booking.objects.get(pk=moved_booking.pk).mode == "video"

    # The waiting list of a full date, then off it again.
    occurrence = (
        Occurrence.objects.filter(session=session, starts_at__gt=timezone.now() + timedelta(days=2))
        .order_by("starts_at")
        .first()
    )
    others = iter(range(10, 99))
    for s in occurrence.slots.all():
        while s.capacity > s.booked:
            engine.book_slot(
                slot_id=s.pk, first_name="A", phone=f"201000{next(others)}", channel="web"
            )
            s.refresh_from_db()
    [joined] = texting(words["wait"])
    assert joined.startswith(first_line(code, "waitlist_joined"))
    assert WaitlistEntry.objects.get(phone=PHONE).language == code
    [left] = texting("STOP VENT")
    assert left.startswith(first_line(code, "waitlist_left"))
    assert WaitlistEntry.objects.get(phone=PHONE).status == "left"
