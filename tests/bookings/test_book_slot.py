"""book_slot: the happy path, the counters, idempotency and every error it can raise."""

from datetime import timedelta

import pytest
from django.utils import translation

from bookings import services
from bookings.errors import (
    AlreadyBooked,
    BookingClosed,
    BookingNotOpenYet,
    InvalidBookingInput,
    InvalidPhone,
    ModeNotOffered,
    OccurrenceCancelled,
    SlotFull,
)
from bookings.models import Booking, BookingEvent, Slot
from bookings.selectors import booking_for_token
from bookings.tokens import hash_token
from tests.factories import make_topic
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
    values = {"first_name": "Bodil", "channel": "web"}
    values.update(kwargs)
    return services.book_slot(slot_id=slot.pk, phone=phone, now=now, **values)


def test_booking_takes_a_seat_and_returns_a_reference_and_a_one_time_token(
    slot, now, sms_outbox, django_capture_on_commit_callbacks
):
    topic = make_topic("MitID")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slot, now, phone="+45 20 12 34 56", help_topic=topic, note="Ny telefon")
    assert booking.phone == "+4520123456"
    assert booking.status == "confirmed"
    assert booking.help_topic == topic
    assert len(booking.reference) == 6
    assert not set(booking.reference) & set("01OIL")
    assert len(booking.manage_token) >= 22  # 16 random bytes, urlsafe base64
    assert booking.manage_token_hash == hash_token(booking.manage_token)
    assert booking.manage_token not in Booking.objects.values_list("manage_token_hash", flat=True)
    assert booking_for_token(booking.manage_token) == booking
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert BookingEvent.objects.get(booking=booking).kind == "booked"
    assert [m.to for m in sms_outbox] == ["+4520123456"]
    assert booking.reference in sms_outbox[0].body


def test_sms_is_queued_only_when_the_booking_commits(slot, now, sms_outbox):
    # Without running on-commit callbacks (the test's transaction never commits) nothing is sent.
    book(slot, now)
    assert sms_outbox == []


def test_a_second_identical_submission_does_not_make_a_second_booking(slot, now):
    first = book(slot, now)
    with pytest.raises(AlreadyBooked) as excinfo:
        book(slot, now, phone="20 12 34 56")
    assert excinfo.value.booking == first
    assert Booking.objects.count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_the_same_phone_cannot_hold_two_slots_of_one_occurrence(session, now):
    from bookings.selectors import bookable_slots

    first_slot, second_slot = bookable_slots(session=session, now=now, limit=2)
    assert first_slot.occurrence_id == second_slot.occurrence_id
    book(first_slot, now)
    with pytest.raises(AlreadyBooked):
        book(second_slot, now)


def test_double_click_on_the_last_seat_says_already_booked_not_full(slot, now):
    Slot.objects.filter(pk=slot.pk).update(capacity=1)
    book(slot, now)
    with pytest.raises(AlreadyBooked):
        book(slot, now)


def test_full_slot(slot, now):
    book(slot, now, phone="20100001")
    book(slot, now, phone="20100002")
    with pytest.raises(SlotFull) as excinfo:
        book(slot, now, phone="20100003")
    assert excinfo.value.code == "full"
    assert Slot.objects.get(pk=slot.pk).booked == 2


def test_held_seats_count_against_capacity(slot, now):
    Slot.objects.filter(pk=slot.pk).update(held=2)
    with pytest.raises(SlotFull):
        book(slot, now)


def test_past_the_cut_off_is_closed_for_citizens_but_not_for_staff(slot, now):
    too_late = slot.starts_at - timedelta(minutes=30)  # the cut-off is 60 minutes
    with pytest.raises(BookingClosed):
        book(slot, too_late)
    staff_booking = book(slot, too_late, channel="staff")
    assert staff_booking.channel == "staff"


def test_nobody_books_a_slot_that_has_started(slot):
    with pytest.raises(BookingClosed):
        book(slot, slot.starts_at + timedelta(minutes=1), channel="staff")


def test_booking_not_open_yet(slot):
    long_before = slot.starts_at - timedelta(days=40)  # booking opens 28 days before
    with pytest.raises(BookingNotOpenYet):
        book(slot, long_before)


def test_cancelled_occurrence(slot, now):
    services.cancel_occurrence(occurrence=slot.occurrence, reason="Sygdom", now=now)
    with pytest.raises(OccurrenceCancelled):
        book(slot, now)


def test_mode_must_be_offered(slot, now):
    with pytest.raises(ModeNotOffered):
        book(slot, now, mode="phone")  # the session offers in person and video
    assert book(slot, now, mode="video").mode == "video"


@pytest.mark.parametrize("phone", ["", "123", "not a number", "+45 1234"])
def test_invalid_phone(slot, now, phone):
    with pytest.raises(InvalidPhone):
        book(slot, now, phone=phone)


def test_foreign_numbers_are_accepted(slot, now):
    assert book(slot, now, phone="0046 70 123 45 67").phone == "+46701234567"


def test_staff_may_book_someone_without_a_mobile(slot, now, sms_outbox):
    booking = book(slot, now, phone="", channel="staff")
    assert booking.phone == ""


@pytest.mark.parametrize(
    "field", [{"note": "mit cpr er 010190-1234"}, {"first_name": "0101901234"}]
)
def test_cpr_numbers_are_refused_kindly(slot, now, field):
    with pytest.raises(InvalidBookingInput) as excinfo, translation.override("en"):
        book(slot, now, **field)
    assert "CPR" in str(excinfo.value.message)
    assert Booking.objects.count() == 0


def test_too_long_note(slot, now):
    with pytest.raises(InvalidBookingInput):
        book(slot, now, note="x" * 201)


def test_unknown_slot_and_channel(slot, now):
    with pytest.raises(InvalidBookingInput):
        services.book_slot(slot_id=999999, first_name="A", phone="20123456", channel="web")
    with pytest.raises(InvalidBookingInput):
        book(slot, now, channel="fax")


def test_every_error_has_a_message_in_english_and_danish():
    from bookings import errors

    for name in dir(errors):
        error_class = getattr(errors, name)
        if isinstance(error_class, type) and issubclass(error_class, errors.BookingError):
            with translation.override("en"):
                assert str(error_class().message)
            assert error_class().code


def test_a_booking_is_kept_only_with_its_event_and_its_confirmation_text(
    slot, now, sms_outbox, monkeypatch
):
    # A web node that dies after the seat is taken but before the confirmation text is queued
    # (here: the SMS channel raises) leaves no booking, no taken seat and no event behind.
    from sms.models import Message

    def node_dies(booking, event, **context):
        raise RuntimeError("killed")

    monkeypatch.setattr("bookings.registry.booking_event", node_dies)
    with pytest.raises(RuntimeError):
        book(slot, now, submission="form-1")
    assert not Booking.objects.exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert not BookingEvent.objects.exists()
    assert not Message.objects.exists()
