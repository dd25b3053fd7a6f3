"""Schedule changes with bookings: each citizen on a vanished time is moved to the nearest free
time that day (or cancelled and told), waiting-list offers follow, and seat counters stay true."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings import services
from bookings.errors import NoWaitlistOffer
from bookings.materialise import materialise_session
from bookings.models import Booking, Occurrence, Slot, WaitlistEntry
from bookings.selectors import bookable_slots
from tests.bookings.materialise_support import book, republish

pytestmark = pytest.mark.django_db


def local_times(occurrence):
    return sorted(timezone.localtime(s.starts_at).time() for s in occurrence.slots.all())


def slot_at(occurrence, hour, minute=0):
    return next(
        s
        for s in occurrence.slots.all()
        if timezone.localtime(s.starts_at).time() == time(hour, minute)
    )


def assert_counters_match_bookings(occurrence):
    for slot in Slot.objects.filter(occurrence=occurrence):
        active = slot.bookings.exclude(status="cancelled").count()
        assert slot.booked == active, slot
        assert (
            slot.held == WaitlistEntry.objects.filter(offered_slot=slot, status="offered").count()
        )
        assert slot.booked + slot.held <= slot.capacity, slot


def fill_first_date(session, now, *, capacity=1):
    """One seat per slot, every slot of the first date booked, and a phone waiting."""
    republish(session, fixed_capacity=capacity)
    materialise_session(session, now=now)
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    bookings = {
        timezone.localtime(slot.starts_at).time(): book(slot, now, phone=f"201000{n:02}")
        for n, slot in enumerate(occurrence.slots.all())
    }
    entry = services.join_waitlist(
        occurrence_id=occurrence.pk, phone="30123456", channel="sms", now=now
    )
    assert entry.status == "waiting"
    return occurrence, bookings, entry


def test_changing_the_times_moves_the_booking_to_the_new_time_and_tells_the_citizen(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    slot = bookable_slots(session=session, now=now, limit=1)[0]
    booking = book(slot, now)
    reference = booking.reference
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_moved"] == 1

    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.reference == reference
    assert booking.slot.occurrence_id == slot.occurrence_id
    assert timezone.localtime(booking.slot.starts_at).time() == time(13, 0)
    assert booking.events.filter(kind="moved", actor="system").count() == 1
    assert [m.to for m in sms_outbox] == [booking.phone]
    assert sms_outbox[0].body.startswith("Digihjælp: Din tid er flyttet til tir 03.03 kl. 13.00")

    # The 10:00 time is gone: nobody is left on it, so the slot itself is deleted.
    occurrence = Occurrence.objects.get(pk=slot.occurrence_id)
    assert not Slot.objects.filter(pk=slot.pk).exists()
    assert local_times(occurrence) == [time(13), time(13, 30)]
    assert_counters_match_bookings(occurrence)

    with django_capture_on_commit_callbacks(execute=True):
        again = materialise_session(session, now=now)
    assert again.get("bookings_moved", 0) == again.get("bookings_cancelled", 0) == 0
    assert len(sms_outbox) == 1
    assert Booking.objects.get().slot_id == booking.slot_id


def test_a_full_nearest_time_sends_the_next_citizen_to_the_next_nearest(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    first = book(slot_at(occurrence, 10), now, phone="20100001")
    second = book(slot_at(occurrence, 10), now, phone="20100002")
    book(slot_at(occurrence, 11), now, phone="20100003")  # one of the two seats at 11 taken
    republish(session, start_time=time(11, 0), end_time=time(13, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_moved"] == 2

    first.refresh_from_db()
    second.refresh_from_db()
    assert timezone.localtime(first.slot.starts_at).time() == time(11, 0)
    assert timezone.localtime(second.slot.starts_at).time() == time(11, 30)
    assert Booking.objects.filter(status="confirmed").count() == 3
    assert local_times(occurrence) == [time(11), time(11, 30), time(12), time(12, 30)]
    assert_counters_match_bookings(occurrence)
    bodies = {m.to: m.body for m in sms_outbox}
    assert "kl. 11.00" in bodies[first.phone]
    assert "kl. 11.30" in bodies[second.phone]


def test_between_two_equally_near_times_the_earlier_is_chosen(session, now):
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    booking = book(slot_at(occurrence, 10, 30), now)
    republish(session, slot_minutes=60)
    materialise_session(session, now=now)
    booking.refresh_from_db()
    assert timezone.localtime(booking.slot.starts_at).time() == time(10, 0)
    assert local_times(occurrence) == [time(10), time(11)]


def test_when_every_new_time_that_day_is_full_the_booking_is_cancelled_and_the_citizen_told(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = fill_first_date(session, now)
    republish(session, end_time=time(11, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_cancelled"] == 2
    assert stats.get("bookings_moved", 0) == 0

    for start in (time(11), time(11, 30)):
        booking = bookings[start]
        booking.refresh_from_db()
        assert (booking.status, booking.cancelled_by) == ("cancelled", "system")
        assert booking.events.filter(kind="cancelled", actor="system").count() == 1
    for start in (time(10), time(10, 30)):
        assert Booking.objects.get(pk=bookings[start].pk).status == "confirmed"
    assert sorted(m.to for m in sms_outbox) == sorted(
        [bookings[time(11)].phone, bookings[time(11, 30)].phone]
    )
    body = {m.to: m.body for m in sms_outbox}[bookings[time(11)].phone]
    assert body.startswith("Digihjælp: Beklager,")
    assert body.endswith("tir 03.03 kl. 11.00 er aflyst. Svar TID for at finde en ny tid.")

    # The vanished times stay for the record, closed; nobody waiting is offered them.
    assert_counters_match_bookings(occurrence)
    for start in (time(11), time(11, 30)):
        assert Slot.objects.get(pk=bookings[start].slot_id).capacity == 0
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == ("waiting", None)


def test_the_waiting_list_is_not_offered_the_seat_on_a_vanished_time(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = fill_first_date(session, now)
    old_slot_id = bookings[time(10)].slot_id
    republish(session, start_time=time(10, 30), end_time=time(12, 30))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_moved"] == 1

    moved = Booking.objects.get(pk=bookings[time(10)].pk)
    assert timezone.localtime(moved.slot.starts_at).time() == time(12, 0)  # the only free seat
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == ("waiting", None)
    assert [m.to for m in sms_outbox] == [moved.phone]
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    assert_counters_match_bookings(occurrence)


def test_lengthening_a_full_day_offers_the_new_seats_to_the_waiting_list(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, _bookings, entry = fill_first_date(session, now)
    republish(session, end_time=time(12, 30))
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=now)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert timezone.localtime(entry.offered_slot.starts_at).time() == time(12)
    [offer] = [m for m in sms_outbox if m.to == entry.phone]
    assert "kl. 12.00" in offer.body
    assert_counters_match_bookings(occurrence)


def offer_the_ten_oclock_seat(session, now, *, also_free=()):
    """The first date full, a phone waiting, then the 10:00 seat freed and offered to it. Its
    citizen moves to next week, so no booking (not even a cancelled one) keeps the slot."""
    occurrence, bookings, entry = fill_first_date(session, now)
    next_week = Occurrence.objects.filter(session=session).order_by("date")[1]
    services.move_booking(booking=bookings[time(10)], to_slot_id=slot_at(next_week, 10).pk, now=now)
    for start in also_free:
        services.cancel_booking(booking=bookings[start], now=now)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert timezone.localtime(entry.offered_slot.starts_at).time() == time(10)
    return occurrence, bookings, entry


def test_an_offer_of_a_vanished_time_is_withdrawn_and_the_phone_waits_again(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = offer_the_ten_oclock_seat(session, now)
    old_slot_id = entry.offered_slot_id
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["waitlist_offers_withdrawn"] == 1
    # 10:30 and 11:00 to 13:00 and 13:30, 11:30 cancelled; next week 10:00 to 13:00.
    assert (stats["bookings_moved"], stats["bookings_cancelled"]) == (3, 1)

    # 13:00 and 13:30 go to the citizens who had a booking; nothing is left to offer.
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id, entry.offer_expires_at) == ("waiting", None, None)
    assert entry.phone not in [m.to for m in sms_outbox]
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    assert_counters_match_bookings(occurrence)
    with pytest.raises(NoWaitlistOffer):
        services.accept_waitlist_offer(phone=entry.phone, now=now)
    assert not Booking.objects.filter(phone=entry.phone).exists()

    sent = len(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = materialise_session(session, now=now)
    assert not again.get("waitlist_offers_withdrawn") and not again.get("bookings_moved")
    assert len(sms_outbox) == sent
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_an_offer_of_a_vanished_time_becomes_an_offer_of_a_free_new_time(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = offer_the_ten_oclock_seat(
        session, now, also_free=(time(11), time(11, 30))
    )
    old_slot_id = entry.offered_slot_id
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["waitlist_offers_withdrawn"] == 1
    assert stats["bookings_moved"] == 2  # 10:30 to 13:00, and next week's 10:00

    entry.refresh_from_db()
    assert entry.status == "offered"
    assert timezone.localtime(entry.offered_slot.starts_at).time() == time(13, 30)
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    # 11:00 and 11:30 stay for their cancelled bookings, closed; only 13:30 was free.
    assert local_times(occurrence) == [time(11), time(11, 30), time(13), time(13, 30)]
    assert {slot_at(occurrence, 11).capacity, slot_at(occurrence, 11, 30).capacity} == {0}
    assert_counters_match_bookings(occurrence)
    [offer] = [m for m in sms_outbox if m.to == entry.phone]
    assert offer.body.startswith("Digihjælp: Der er en ledig plads:") and "kl. 13.30" in offer.body

    sent = len(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=now)
    assert len(sms_outbox) == sent
    booking = services.accept_waitlist_offer(phone=entry.phone, now=now)
    assert booking.slot_id == entry.offered_slot_id
    assert_counters_match_bookings(occurrence)


def test_an_offer_past_its_deadline_on_a_vanished_time_expires(session, now):
    occurrence, _bookings, entry = offer_the_ten_oclock_seat(
        session, now, also_free=(time(11), time(11, 30))
    )
    old_slot_id = entry.offered_slot_id
    later = entry.offer_expires_at + timedelta(minutes=1)  # the expiry job has not run yet
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    materialise_session(session, now=later)
    entry.refresh_from_db()
    assert entry.status == "expired"  # as the expiry job would have it: no second chance
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    assert_counters_match_bookings(occurrence)


def test_only_future_times_are_rehomed_even_after_the_booking_cut_off(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    earlier = book(slot_at(occurrence, 10), now, phone="20100001")
    later = book(slot_at(occurrence, 11, 30), now, phone="20100002")
    republish(session, start_time=time(10, 15), end_time=time(12, 15))
    during = datetime(2026, 3, 3, 10, 20, tzinfo=UTC)  # 11:20 in Copenhagen, on the day
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=during)

    # 11:30 becomes 11:45 (11:15 is as near but already past), inside the one-hour cut-off.
    later.refresh_from_db()
    assert timezone.localtime(later.slot.starts_at).time() == time(11, 45)
    # 10:00 has been and gone: that booking is history and stays as it was.
    earlier.refresh_from_db()
    assert (earlier.status, earlier.slot_id) == ("confirmed", slot_at(occurrence, 10).pk)
    assert [m.to for m in sms_outbox] == [later.phone]
    assert_counters_match_bookings(occurrence)
