"""The waiting list: join, leave, offers of freed seats that are held, accepted or expire."""

from datetime import timedelta

import pytest

from bookings import services
from bookings.errors import (
    AlreadyBooked,
    BookingClosed,
    NotOnWaitlist,
    NoWaitlistOffer,
    OccurrenceCancelled,
    SlotFull,
)
from bookings.models import Occurrence, Slot, WaitlistEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_occurrence(session, now):
    occurrence = Occurrence.objects.filter(session=session).first()
    Slot.objects.filter(occurrence=occurrence).update(capacity=1)
    for n, slot in enumerate(occurrence.slots.all()):
        services.book_slot(
            slot_id=slot.pk, first_name="A", phone=f"2010001{n}", channel="web", now=now
        )
    return occurrence


def join(occurrence, now, phone="30123456"):
    return services.join_waitlist(
        occurrence_id=occurrence.pk, phone=phone, first_name="Karen", channel="web", now=now
    )


def test_join_is_idempotent(full_occurrence, now):
    entry = join(full_occurrence, now)
    assert entry.status == "waiting"
    assert join(full_occurrence, now, phone="+4530123456") == entry
    assert WaitlistEntry.objects.count() == 1


def test_join_errors(full_occurrence, now):
    with pytest.raises(AlreadyBooked):
        join(full_occurrence, now, phone="20100010")
    with pytest.raises(BookingClosed):
        join(full_occurrence, full_occurrence.starts_at + timedelta(minutes=1))
    services.cancel_occurrence(occurrence=full_occurrence, now=now)
    with pytest.raises(OccurrenceCancelled):
        join(full_occurrence, now)


def test_a_freed_seat_is_held_offered_and_accepted(
    full_occurrence, now, sms_outbox, django_capture_on_commit_callbacks
):
    entry = join(full_occurrence, now)
    first_booking = full_occurrence.slots.first().bookings.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking=first_booking, now=now)
    entry.refresh_from_db()
    assert entry.status == "offered"
    slot = entry.offered_slot
    assert (slot.booked, slot.held) == (0, 1)
    assert sms_outbox[-1].to == "+4530123456"
    assert "JA" in sms_outbox[-1].body
    # The held seat is not free for anyone else.
    with pytest.raises(SlotFull):
        services.book_slot(
            slot_id=slot.pk, first_name="B", phone="40123456", channel="web", now=now
        )
    booking = services.accept_waitlist_offer(phone="30 12 34 56", now=now + timedelta(minutes=30))
    assert booking.slot_id == slot.pk
    slot.refresh_from_db()
    assert (slot.booked, slot.held) == (1, 0)
    entry.refresh_from_db()
    assert (entry.status, entry.booking_id) == ("accepted", booking.pk)
    with pytest.raises(NoWaitlistOffer):
        services.accept_waitlist_offer(phone="30123456", now=now)


def test_an_offer_that_runs_out_passes_to_the_next_in_line(full_occurrence, now):
    first = join(full_occurrence, now)
    second = join(full_occurrence, now, phone="40123456")
    services.cancel_booking(booking=full_occurrence.slots.first().bookings.get(), now=now)
    first.refresh_from_db()
    assert first.status == "offered"
    later = first.offer_expires_at + timedelta(seconds=1)
    with pytest.raises(NoWaitlistOffer):
        services.accept_waitlist_offer(phone="30123456", now=later)
    assert services.expire_waitlist_offers(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "expired"
    assert second.status == "offered"
    assert Slot.objects.get(pk=second.offered_slot_id).held == 1


def test_leaving_releases_a_held_seat(full_occurrence, now):
    entry = join(full_occurrence, now)
    services.cancel_booking(booking=full_occurrence.slots.first().bookings.get(), now=now)
    entry.refresh_from_db()
    slot_id = entry.offered_slot_id
    services.leave_waitlist(entry=entry, now=now)
    assert Slot.objects.get(pk=slot_id).held == 0
    with pytest.raises(NotOnWaitlist):
        services.leave_waitlist(entry=entry, now=now)


def test_more_capacity_goes_to_the_waiting_list(full_occurrence, now):
    entry = join(full_occurrence, now)
    services.recompute_capacity(occurrence=full_occurrence, now=now)  # fixed rule: 2 seats
    entry.refresh_from_db()
    assert entry.status == "offered"
