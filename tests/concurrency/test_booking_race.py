"""Real threads racing for the same seats, on whichever database the suite runs on (SQLite by
default, PostgreSQL when DATABASE_URL points to one). Each thread has its own connection and
transaction, as gunicorn workers would."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from bookings import services
from bookings.errors import SlotFull
from bookings.materialise import materialise_session
from bookings.models import Booking, Slot
from bookings.selectors import bookable_slots
from tests.factories import make_hotspot, make_organisation, make_session
from tests.threads import run_together

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
ATTEMPTS = 50


def race(slot_id, attempts=ATTEMPTS, phone_for=lambda n: f"+45201{n:05d}"):
    def attempt(n):
        def book():
            try:
                services.book_slot(
                    slot_id=slot_id, first_name=f"T{n}", phone=phone_for(n), channel="web", now=NOW
                )
            except SlotFull as error:
                return error.code  # what the citizen who lost is told
            return "booked"

        return book

    return run_together([attempt(n) for n in range(attempts)])


@pytest.fixture
def slot():
    from tests.factories import home_page

    home_page()
    session = make_session(make_hotspot(make_organisation()))
    materialise_session(session, now=NOW)
    return bookable_slots(session=session, now=NOW, limit=1)[0]


@pytest.mark.parametrize("capacity", [1, 5])
def test_fifty_attempts_give_exactly_capacity_bookings(slot, capacity):
    Slot.objects.filter(pk=slot.pk).update(capacity=capacity)
    outcomes, errors = race(slot.pk)
    assert errors == []
    assert outcomes == Counter(booked=capacity, full=ATTEMPTS - capacity)
    assert Booking.objects.filter(slot=slot, status="confirmed").count() == capacity
    assert Slot.objects.get(pk=slot.pk).booked == capacity


def test_the_same_phone_clicking_fifty_times_gets_one_booking(slot):
    from bookings.errors import AlreadyBooked

    Slot.objects.filter(pk=slot.pk).update(capacity=5)

    def click():
        try:
            services.book_slot(
                slot_id=slot.pk, first_name="Bo", phone="20123456", channel="web", now=NOW
            )
        except AlreadyBooked:
            return "already"
        return "booked"

    results, errors = run_together([click] * 10)
    assert errors == []
    assert results == Counter(booked=1, already=9)
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_bookings_waiting_on_a_date_being_cancelled_are_refused(slot):
    """Staff cancel a date while citizens book it: those who read the time as open and then
    queued for its seat while the cancellation held it are told the date is cancelled, never
    booked onto a date nobody will hold (nor left out of the cancellation's texts)."""
    import threading
    import time

    from django.db import transaction

    from bookings.errors import OccurrenceCancelled

    occurrence = slot.occurrence
    cancelling = threading.Event()

    def cancel():
        with transaction.atomic():
            services.cancel_occurrence(occurrence=occurrence, reason="Sygdom", now=NOW)
            cancelling.set()
            time.sleep(0.5)  # the bookings below queue for the slot meanwhile
        return "cancelled"

    def book(n):
        def attempt():
            cancelling.wait(timeout=30)
            try:
                services.book_slot(
                    slot_id=slot.pk,
                    first_name=f"T{n}",
                    phone=f"+45201{n:05d}",
                    channel="web",
                    now=NOW,
                )
            except OccurrenceCancelled:
                return "told cancelled"
            return "booked"

        return attempt

    outcomes, errors = run_together([cancel] + [book(n) for n in range(5)])
    assert errors == []
    assert outcomes == Counter({"cancelled": 1, "told cancelled": 5})
    assert not Booking.objects.filter(slot__occurrence=occurrence, status="confirmed").exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0
