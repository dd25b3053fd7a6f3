"""cancel_booking, move_booking, switch_mode and mark_attendance."""

from datetime import timedelta

import pytest

from bookings import services
from bookings.errors import (
    AlreadyBooked,
    BookingClosed,
    ModeNotOffered,
    NotChangeable,
    OccurrenceCancelled,
    SlotFull,
)
from bookings.models import BookingEvent, Slot
from bookings.selectors import bookable_slots
from tests.shared_rows import module_rows, per_test

from .conftest import make_session_with_times

pytestmark = pytest.mark.django_db

# The conftest's session, built once for this module's tests and rolled back to after each
# (tests/shared_rows.py).
_shared_session = module_rows("_shared_session", make_session_with_times)


@pytest.fixture
def session(_shared_session, home):
    return per_test(_shared_session)


def book(slot, now, phone="20123456", **kwargs):
    return services.book_slot(
        slot_id=slot.pk, first_name="Bodil", phone=phone, channel="web", now=now, **kwargs
    )


def test_cancel_gives_the_seat_back_and_tells_the_citizen(
    slot, now, sms_outbox, django_capture_on_commit_callbacks
):
    booking = book(slot, now)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_booking(booking=booking, now=now)
    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_by == "citizen"
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert sms_outbox[-1].to == booking.phone
    assert list(BookingEvent.objects.filter(booking=booking).values_list("kind", flat=True)) == [
        "booked",
        "cancelled",
    ]


def test_cancel_twice_is_refused_and_does_not_free_a_second_seat(slot, now):
    booking = book(slot, now)
    book(slot, now, phone="20100002")
    services.cancel_booking(booking=booking, now=now)
    with pytest.raises(NotChangeable):
        services.cancel_booking(booking=booking, now=now)
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_citizen_cannot_cancel_after_the_start_but_staff_can(slot, now):
    booking = book(slot, now)
    after_start = slot.starts_at + timedelta(minutes=5)
    with pytest.raises(NotChangeable):
        services.cancel_booking(booking=booking, now=after_start)
    assert services.cancel_booking(booking=booking, actor="staff", now=after_start).status == (
        "cancelled"
    )


def test_a_cancelled_phone_may_book_again(slot, now):
    booking = book(slot, now)
    services.cancel_booking(booking=booking, now=now)
    assert book(slot, now).status == "confirmed"


def test_move_keeps_reference_and_moves_the_seat(session, now, sms_outbox):
    first, second = bookable_slots(session=session, now=now, limit=2)
    booking = book(first, now)
    moved = services.move_booking(booking=booking, to_slot_id=second.pk, now=now)
    assert moved.slot_id == second.pk
    assert moved.reference == booking.reference
    assert Slot.objects.get(pk=first.pk).booked == 0
    assert Slot.objects.get(pk=second.pk).booked == 1
    assert BookingEvent.objects.filter(booking=booking, kind="moved").exists()


def test_move_to_a_full_slot_keeps_the_old_seat(session, now):
    first, second = bookable_slots(session=session, now=now, limit=2)
    booking = book(first, now)
    book(second, now, phone="20100002")
    book(second, now, phone="20100003")
    with pytest.raises(SlotFull):
        services.move_booking(booking=booking, to_slot_id=second.pk, now=now)
    booking.refresh_from_db()
    assert booking.slot_id == first.pk
    assert Slot.objects.get(pk=first.pk).booked == 1


def test_move_to_another_week_where_the_phone_is_already_booked(session, now):
    slots = bookable_slots(session=session, now=now)
    this_week = slots[0]
    next_week = next(s for s in slots if s.occurrence_id != this_week.occurrence_id)
    booking = book(this_week, now)
    book(next_week, now)
    with pytest.raises(AlreadyBooked):
        services.move_booking(booking=booking, to_slot_id=next_week.pk, now=now)


def test_move_errors(session, now):
    first, second = bookable_slots(session=session, now=now, limit=2)
    booking = book(first, now)
    with pytest.raises(BookingClosed):
        services.move_booking(
            booking=booking, to_slot_id=second.pk, now=first.starts_at - timedelta(minutes=5)
        )
    next_week = next(
        s
        for s in bookable_slots(session=session, now=now)
        if s.occurrence_id != first.occurrence_id
    )
    services.cancel_occurrence(occurrence=next_week.occurrence, now=now)
    with pytest.raises(OccurrenceCancelled):
        services.move_booking(booking=booking, to_slot_id=next_week.pk, now=now)
    services.cancel_booking(booking=booking, actor="staff", now=now)
    with pytest.raises(NotChangeable):
        services.move_booking(booking=booking, to_slot_id=second.pk, now=now)


def test_switch_mode(slot, now, sms_outbox, django_capture_on_commit_callbacks):
    booking = book(slot, now)
    with django_capture_on_commit_callbacks(execute=True):
        switched = services.switch_mode(booking=booking, mode="video", now=now)
    assert switched.mode == "video"
    event = BookingEvent.objects.get(booking=booking, kind="mode_switched")
    assert (event.from_mode, event.to_mode) == ("in_person", "video")
    assert len(sms_outbox) == 1
    # Asking for the mode it already has is a harmless no-op.
    assert services.switch_mode(booking=switched, mode="video", now=now).mode == "video"
    assert BookingEvent.objects.filter(kind="mode_switched").count() == 1


def test_switch_mode_errors(slot, now):
    booking = book(slot, now)
    with pytest.raises(ModeNotOffered):
        services.switch_mode(booking=booking, mode="phone", now=now)
    with pytest.raises(ModeNotOffered):
        services.switch_mode(booking=booking, mode="carrier pigeon", now=now)
    late = slot.starts_at - timedelta(minutes=10)
    with pytest.raises(BookingClosed):
        services.switch_mode(booking=booking, mode="video", now=late)
    assert services.switch_mode(booking=booking, mode="video", actor="staff", now=late).mode == (
        "video"
    )
    services.cancel_booking(booking=booking, now=now)
    with pytest.raises(NotChangeable):
        services.switch_mode(booking=booking, mode="in_person", now=now)


def test_mark_attendance(slot, now):
    booking = book(slot, now)
    with pytest.raises(NotChangeable):
        services.mark_attendance(booking=booking, attended=True, now=now)  # the day before
    on_the_day = slot.starts_at + timedelta(minutes=20)
    assert services.mark_attendance(booking=booking, attended=True, now=on_the_day).status == (
        "attended"
    )
    # A mistake can be corrected; the seat stays counted either way.
    assert services.mark_attendance(booking=booking, attended=False, now=on_the_day).status == (
        "no_show"
    )
    assert Slot.objects.get(pk=slot.pk).booked == 1
    kinds = list(BookingEvent.objects.filter(booking=booking).values_list("kind", flat=True))
    assert kinds == ["booked", "attended", "no_show"]


def test_cannot_mark_a_cancelled_booking(slot, now):
    booking = book(slot, now)
    services.cancel_booking(booking=booking, now=now)
    with pytest.raises(NotChangeable):
        services.mark_attendance(booking=booking, attended=True, now=slot.starts_at)
