"""The engine's bulk API (bookings.services.bulk): many bookings in one set-based change, with
events, right seat counters, the waiting list, and the channels told (or kept quiet)."""

import pytest

from bookings import services
from bookings.models import Booking, BookingEvent, Occurrence, Slot, WaitlistEntry
from bookings.services import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_occurrence(session, now):
    """The first occurrence, every seat booked in person (one phone per seat)."""
    occurrence = Occurrence.objects.filter(session=session).order_by("starts_at").first()
    n = 0
    for slot in occurrence.slots.all():
        for _seat in range(slot.capacity):
            services.book_slot(
                slot_id=slot.pk, first_name="A", phone=f"2010{n:04d}", channel="web", now=now
            )
            n += 1
    return occurrence


def bookings_of(occurrence):
    return Booking.objects.filter(slot__occurrence=occurrence)


def test_switch_mode_moves_only_to_a_mode_the_session_offers(full_occurrence, now):
    # The fixture's session offers in person and video, not phone.
    assert bulk.switch_mode(bookings=bookings_of(full_occurrence), mode="phone", now=now) == []
    changed = bulk.switch_mode(
        bookings=bookings_of(full_occurrence), mode="video", reason_code="crisis", now=now
    )
    assert len(changed) == bookings_of(full_occurrence).count()
    assert set(bookings_of(full_occurrence).values_list("mode", "mode_imposed")) == {
        ("video", True)
    }
    events = BookingEvent.objects.filter(kind="mode_switched")
    assert events.count() == len(changed)
    assert set(events.values_list("from_mode", "to_mode", "reason", "actor")) == {
        ("in_person", "video", "crisis", "staff")
    }
    # Running it again changes nothing and writes nothing.
    assert bulk.switch_mode(bookings=bookings_of(full_occurrence), mode="video", now=now) == []
    assert events.count() == len(changed)


def test_a_citizens_own_switch_is_a_choice_again(full_occurrence, now):
    booking = bookings_of(full_occurrence).first()
    bulk.switch_mode(bookings=Booking.objects.filter(pk=booking.pk), mode="video", now=now)
    services.switch_mode(booking=booking, mode="in_person", now=now)
    assert Booking.objects.get(pk=booking.pk).mode_imposed is False


def test_cancel_bookings_frees_the_seats_and_offers_them_to_the_waiting_list(
    full_occurrence, now, sms_outbox, django_capture_on_commit_callbacks
):
    entry = services.join_waitlist(
        occurrence_id=full_occurrence.pk, phone="30123456", channel="web", now=now
    )
    first_slot = full_occurrence.slots.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = bulk.cancel_bookings(
            bookings=Booking.objects.filter(slot=first_slot), reason_code="staff", now=now
        )
    assert len(cancelled) == first_slot.capacity
    slot = Slot.objects.get(pk=first_slot.pk)
    # One seat is held for the waiting list, the rest are free again.
    assert (slot.booked, slot.held) == (0, 1)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "offered"
    texted = {m.to for m in sms_outbox}
    assert "+4530123456" in texted  # the offer
    # notify_citizens (the default): each citizen gets the usual cancellation text.
    assert {b.phone for b in Booking.objects.filter(pk__in=cancelled)} <= texted
    assert set(
        BookingEvent.objects.filter(kind="cancelled").values_list("reason", "from_mode")
    ) == {("staff", "in_person")}


def test_cancel_occurrences_closes_them_with_a_code_and_ends_the_waiting_list(
    full_occurrence, now, sms_outbox, django_capture_on_commit_callbacks
):
    services.join_waitlist(
        occurrence_id=full_occurrence.pk, phone="30123456", channel="web", now=now
    )
    with django_capture_on_commit_callbacks(execute=True):
        count, cancelled = bulk.cancel_occurrences(
            occurrences=Occurrence.objects.filter(pk=full_occurrence.pk),
            reason_code="crisis",
            notify_citizens=False,
            now=now,
        )
    assert count == 1
    occurrence = Occurrence.objects.get(pk=full_occurrence.pk)
    assert (occurrence.status, occurrence.cancelled_by, occurrence.cancelled_reason) == (
        "cancelled",
        "crisis",
        "",
    )
    assert set(bookings_of(occurrence).values_list("status", flat=True)) == {"cancelled"}
    assert len(cancelled) == bookings_of(occurrence).count()
    assert set(occurrence.slots.values_list("booked", "held")) == {(0, 0)}
    assert set(WaitlistEntry.objects.values_list("status", flat=True)) == {"expired"}
    # The caller composes its own texts: the channel stayed quiet.
    assert sms_outbox == []


def test_a_booking_cancelled_meanwhile_is_left_alone(full_occurrence, now):
    booking = bookings_of(full_occurrence).first()
    services.cancel_booking(booking=booking, now=now)
    booked_before = Slot.objects.get(pk=booking.slot_id).booked
    cancelled = bulk.cancel_bookings(
        bookings=Booking.objects.filter(pk=booking.pk), reason_code="staff", now=now
    )
    assert cancelled == []
    assert Slot.objects.get(pk=booking.slot_id).booked == booked_before
